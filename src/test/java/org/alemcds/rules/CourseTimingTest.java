package org.alemcds.rules;

import static org.alemcds.testing.RuleHarness.cardsOf;
import static org.alemcds.testing.RuleHarness.orderSign;
import static org.alemcds.testing.RuleHarness.patientView;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import org.alemcds.testing.FhirRecord;
import org.alemcds.testing.RuleHarness;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** CRS-DOSE-SCHEDULE, CRS-INTERVAL, CRS-MAX-COURSES, CRS-RETREAT-CRITERIA, CRS-INTERRUPTED (catalogue §4.6). */
class CourseTimingTest {

    private static ObjectNode lemtrada() {
        return FhirRecord.rxnorm("1594660", "alemtuzumab 10 MG/ML [Lemtrada]");
    }

    /** Gives a course of the given number of daily infusions starting on the date. */
    private static void course(FhirRecord record, String firstDay, int infusions) {
        LocalDate day = LocalDate.parse(firstDay);
        for (int i = 0; i < infusions; i++) {
            record.administration(lemtrada(), day.plusDays(i).toString());
        }
    }

    private static ObjectNode mri(FhirRecord record, String date, String conclusion) {
        ObjectNode report = RuleHarness.MAPPER.createObjectNode();
        report.put("resourceType", "DiagnosticReport").put("status", "final");
        report.set("code", FhirRecord.text("MRI brain and spinal cord with gadolinium"));
        report.putObject("subject").put("reference", "Patient/" + FhirRecord.PATIENT_ID);
        report.put("effectiveDateTime", date).put("conclusion", conclusion);
        return record.add(report);
    }

    @Nested
    class Interval {
        @Test
        void secondCourseOneDayEarlyIsCritical() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            course(record, "2024-09-09", 5); // last infusion 2024-09-13
            record.draftAlemtuzumab("2025-09-12", 3);

            assertThat(cardsOf(orderSign(record, "2025-09-01"), "CRS-INTERVAL")).singleElement().satisfies(card -> {
                assertThat(card.indicator()).isEqualTo("critical");
                assertThat(card.summary()).isEqualTo(
                        "Course 2 planned 2025-09-12 is too early: ≥12 months after last course needed (earliest 2025-09-13).");
                assertThat(card.detail()).contains("2024-09-13");
            });
        }

        @Test
        void secondCourseOnTheAnniversaryOfTheLastInfusionPasses() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            course(record, "2024-09-09", 5);
            record.draftAlemtuzumab("2025-09-13", 3);

            assertThat(cardsOf(orderSign(record, "2025-09-01"), "CRS-INTERVAL")).isEmpty();
        }

        @Test
        void monthEndIsClampedInCalendarArithmetic() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            course(record, "2024-02-25", 5); // last infusion 2024-02-29 → earliest 2025-02-28
            record.draftAlemtuzumab("2025-02-28", 3);

            assertThat(cardsOf(orderSign(record, "2025-02-01"), "CRS-INTERVAL")).isEmpty();
        }

        @Test
        void enteredInErrorAdministrationsDoNotMakeACourse() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            course(record, "2026-01-05", 5);
            record.administration(lemtrada(), "2026-06-01").put("status", "entered-in-error");
            record.draftAlemtuzumab("2027-01-10", 3);

            assertThat(cardsOf(orderSign(record, "2026-12-20"), "CRS-INTERVAL")).isEmpty();
            assertThat(cardsOf(orderSign(record, "2026-12-20"), "CRS-DOSE-SCHEDULE")).isEmpty();
        }
    }

    @Nested
    class InterruptedCourse {
        @Test
        void draftCompletingAnInterruptedCourseIsNotANewCourse() {
            FhirRecord record = FhirRecord.female("1980-01-01");
            course(record, "2026-11-02", 3); // 3 of 5, last 2026-11-04
            record.draftAlemtuzumab("2026-11-20", 2);

            var cards = orderSign(record, "2026-11-19");
            assertThat(cardsOf(cards, "CRS-INTERVAL")).isEmpty();
            assertThat(cardsOf(cards, "CRS-DOSE-SCHEDULE")).as(RuleHarness.describe(cards)).isEmpty();
            assertThat(cardsOf(cards, "CRS-INTERRUPTED")).singleElement().satisfies(card -> {
                assertThat(card.indicator()).isEqualTo("warning");
                assertThat(card.summary()).isEqualTo(
                        "Course 1 incomplete (3/5): give remaining infusions ASAP, with methylprednisolone before each.");
            });
        }

        @Test
        void completingOrderForTheWholeCourseAgainIsADoseWarning() {
            FhirRecord record = FhirRecord.female("1980-01-01");
            course(record, "2026-11-02", 3);
            record.draftAlemtuzumab("2026-11-20", 5);

            assertThat(cardsOf(orderSign(record, "2026-11-19"), "CRS-DOSE-SCHEDULE")).singleElement()
                    .satisfies(card -> assertThat(card.summary())
                            .isEqualTo("Planned 5 × 12 mg; course 1 should be 12 mg/day IV on 2 consecutive days."));
        }

        @Test
        void patientViewWarnsWithinTheCourseGap() {
            FhirRecord record = FhirRecord.female("1980-01-01");
            course(record, "2026-11-02", 2); // last 2026-11-03

            assertThat(cardsOf(patientView(record, "2026-11-05"), "CRS-INTERRUPTED")).hasSize(1);
            assertThat(cardsOf(patientView(record, "2026-12-04"), "CRS-INTERRUPTED")).hasSize(1); // +31 days
        }

        @Test
        void patientViewIsSilentTheDayAfterAndBeyondTheGap() {
            FhirRecord record = FhirRecord.female("1980-01-01");
            course(record, "2026-11-02", 2);

            assertThat(cardsOf(patientView(record, "2026-11-04"), "CRS-INTERRUPTED")).isEmpty(); // last + 1 day
            assertThat(cardsOf(patientView(record, "2026-12-05"), "CRS-INTERRUPTED")).isEmpty(); // last + 32 days
        }

        @Test
        void completeCourseIsNotInterrupted() {
            FhirRecord record = FhirRecord.female("1980-01-01");
            course(record, "2026-11-02", 5);

            assertThat(cardsOf(patientView(record, "2026-11-10"), "CRS-INTERRUPTED")).isEmpty();
        }
    }

    @Nested
    class DoseSchedule {
        @Test
        void firstCourseOfThreeDaysIsAWarning() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            record.draftAlemtuzumab("2026-12-01", 3);

            assertThat(cardsOf(orderSign(record, "2026-11-21"), "CRS-DOSE-SCHEDULE")).singleElement().satisfies(card -> {
                assertThat(card.indicator()).isEqualTo("warning");
                assertThat(card.summary()).isEqualTo("Planned 3 × 12 mg; course 1 should be 12 mg/day IV on 5 consecutive days.");
                assertThat(card.detail()).contains("methylprednisolone");
            });
        }

        @Test
        void wrongDoseIsAWarning() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            record.draftAlemtuzumab("2026-12-01", 5).at("/dosageInstruction/0/doseAndRate/0/doseQuantity")
                    .forEach(n -> {});
            ((ObjectNode) record.drafts().get(0).at("/dosageInstruction/0/doseAndRate/0/doseQuantity")).put("value", 10);

            assertThat(cardsOf(orderSign(record, "2026-11-21"), "CRS-DOSE-SCHEDULE")).singleElement()
                    .satisfies(card -> assertThat(card.summary()).startsWith("Planned 5 × 10 mg"));
        }

        @Test
        void correctFirstAndSecondCoursesAreSilent() {
            FhirRecord first = FhirRecord.male("1980-01-01");
            first.draftAlemtuzumab("2026-12-01", 5);
            assertThat(cardsOf(orderSign(first, "2026-11-21"), "CRS-DOSE-SCHEDULE")).isEmpty();

            FhirRecord second = FhirRecord.male("1980-01-01");
            course(second, "2025-11-03", 5);
            second.draftAlemtuzumab("2026-12-01", 3);
            assertThat(cardsOf(orderSign(second, "2026-11-21"), "CRS-DOSE-SCHEDULE")).isEmpty();
        }

        @Test
        void unspecifiedScheduleIsInfo() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            ObjectNode order = record.draftAlemtuzumab("2026-12-01", 5);
            ((ObjectNode) order.at("/dosageInstruction/0")).remove("doseAndRate");

            assertThat(cardsOf(orderSign(record, "2026-11-21"), "CRS-DOSE-SCHEDULE")).singleElement()
                    .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));
        }
    }

    @Nested
    class NumberOfCourses {
        @Test
        void fourthCourseIsInfoAndFifthIsWarning() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            course(record, "2020-01-06", 5);
            course(record, "2021-01-11", 3);
            course(record, "2022-02-07", 3);
            record.draftAlemtuzumab("2026-12-01", 3);
            assertThat(cardsOf(orderSign(record, "2026-11-21"), "CRS-MAX-COURSES")).singleElement()
                    .satisfies(card -> assertThat(card.indicator()).isEqualTo("info"));

            course(record, "2023-03-06", 3);
            assertThat(cardsOf(orderSign(record, "2026-11-21"), "CRS-MAX-COURSES")).singleElement().satisfies(card -> {
                assertThat(card.indicator()).isEqualTo("warning");
                assertThat(card.summary()).startsWith("Course 5: EU label allows at most 2 additional courses");
            });
        }

        @Test
        void secondCourseIsSilent() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            course(record, "2024-01-08", 5);
            record.draftAlemtuzumab("2026-12-01", 3);
            assertThat(cardsOf(orderSign(record, "2026-11-21"), "CRS-MAX-COURSES")).isEmpty();
        }
    }

    @Nested
    class Retreatment {
        private FhirRecord thirdCourse() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            course(record, "2022-01-10", 5);
            course(record, "2023-02-06", 3); // last course ends 2023-02-08
            record.draftAlemtuzumab("2026-12-01", 3);
            return record;
        }

        @Test
        void noRecordsSinceTheLastCourseCannotBeAssessed() {
            assertThat(cardsOf(orderSign(thirdCourse(), "2026-11-21"), "CRS-RETREAT-CRITERIA")).singleElement()
                    .satisfies(card -> {
                        assertThat(card.indicator()).isEqualTo("info");
                        assertThat(card.summary()).startsWith("Retreatment course: document activity");
                        assertThat(card.suggestions()).hasSize(1);
                    });
        }

        @Test
        void quietMriSinceTheLastCourseMeansThresholdsNotMet() {
            FhirRecord record = thirdCourse();
            mri(record, "2026-10-01", "No new or enlarging T2 lesions; no gadolinium-enhancing lesions.");
            assertThat(cardsOf(orderSign(record, "2026-11-21"), "CRS-RETREAT-CRITERIA")).singleElement()
                    .satisfies(card -> assertThat(card.summary()).startsWith("Course 3: no relapse or new MRI lesion recorded since 2023-02-08"));
        }

        @Test
        void activeMriOrRelapseMeetsTheThreshold() {
            FhirRecord withMri = thirdCourse();
            mri(withMri, "2026-10-01", "Two new T2 lesions and one gadolinium-enhancing lesion.");
            assertThat(cardsOf(orderSign(withMri, "2026-11-21"), "CRS-RETREAT-CRITERIA")).isEmpty();

            FhirRecord withRelapse = thirdCourse();
            withRelapse.condition("24700007", "Relapse of multiple sclerosis", "2026-05-03").set("code", FhirRecord.text("MS relapse"));
            assertThat(cardsOf(orderSign(withRelapse, "2026-11-21"), "CRS-RETREAT-CRITERIA")).isEmpty();
        }

        @Test
        void secondCourseIsNotAssessed() {
            FhirRecord record = FhirRecord.male("1980-01-01");
            course(record, "2024-01-08", 5);
            record.draftAlemtuzumab("2026-12-01", 3);
            assertThat(cardsOf(orderSign(record, "2026-11-21"), "CRS-RETREAT-CRITERIA")).isEmpty();
        }
    }
}
