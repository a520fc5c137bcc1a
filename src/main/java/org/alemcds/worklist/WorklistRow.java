package org.alemcds.worklist;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/**
 * One treated patient on the monitoring worklist, as the patient-view CQL sees them on the as-of date.
 *
 * @param lastInfusion last alemtuzumab infusion
 * @param monitoringEnd end of the 48-month monitoring window
 * @param overdue the overdue schedule items
 * @param signals the abnormal results that need action (rule, indicator, the finding with its value and date)
 * @param reminders the other cards of the patient-view service (rule, indicator, summary), except those of the rules
 *     the schedule items and signals restate
 * @param nextDue the earliest next due date of the monthly items and TSH
 */
record WorklistRow(
        String patientId,
        Status status,
        LocalDate lastInfusion,
        LocalDate monitoringEnd,
        List<OverdueItem> overdue,
        List<CardLine> signals,
        List<CardLine> reminders,
        LocalDate nextDue) {

    /** Most urgent first: an unacted signal, then overdue tests, then patients on schedule, then ended windows. */
    enum Status {
        SIGNAL("signal"),
        OVERDUE("overdue"),
        ON_SCHEDULE("on schedule"),
        ENDED("monitoring ended");

        final String label;

        Status(String label) {
            this.label = label;
        }
    }

    /** An overdue schedule item: its last result date (null: none on record), next due date and days past it. */
    record OverdueItem(String item, LocalDate lastDate, LocalDate dueDate, Long daysOverdue) {

        String text() {
            return item + " (last " + (lastDate == null ? "none" : lastDate.toString())
                    + (daysOverdue == null ? "" : ", " + daysOverdue + " days overdue") + ")";
        }
    }

    record CardLine(String ruleId, String indicator, String summary) {

        String text() {
            return ruleId + " " + indicator + ": " + summary;
        }
    }

    boolean needsAction() {
        return status == Status.SIGNAL || status == Status.OVERDUE;
    }

    long maxDaysOverdue() {
        return overdue.stream().map(OverdueItem::daysOverdue).filter(d -> d != null).mapToLong(Long::longValue).max().orElse(0);
    }

    private int signalRank() {
        return signals.stream().mapToInt(s -> s.indicator().equals("critical") ? 0 : s.indicator().equals("warning") ? 1 : 2)
                .min().orElse(3);
    }

    /**
     * Urgency: status, then the most severe signal, then the longest overdue, then the earliest next due date; the
     * patient id last so that the order does not depend on the order of evaluation.
     */
    static final Comparator<WorklistRow> BY_URGENCY = Comparator.comparing(WorklistRow::status)
            .thenComparingInt(WorklistRow::signalRank)
            .thenComparing(Comparator.comparingLong(WorklistRow::maxDaysOverdue).reversed())
            .thenComparing(WorklistRow::nextDue, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(WorklistRow::patientId);
}
