#!/usr/bin/env python3
"""Writes the sample patients of fhir-resources/examples/ (catalogue §4.1, §4.2, §4.4, §4.5, §4.6).

usage: tools/examples.py        (rewrites every file in fhir-resources/examples/)

For each sample NN-name it writes
  NN-name.bundle.json      the patient's record as a FHIR R4 collection Bundle (what the EHR holds),
  NN-name.order-sign.json  a ready CDS Hooks order-sign request: the alemtuzumab order and its
                           premedication order set as context.draftOrders, the record as prefetch keyed
                           exactly like the service's discovery prefetch (src/main/resources/application.yaml),
and, for all samples, expected-cards.json (the rule IDs and indicators each request must produce, from the
catalogue) and README.md.

All dates are fixed relative to the planning date PLANNING_DATE (the day the order is signed; the service clock
in ExampleRequestsTest) and the planned course start COURSE_START (= EvalDate, catalogue §2.1). The output is
deterministic: ids and hookInstances are derived from the sample names.
"""
import datetime as dt
import json
import os
import uuid

PLANNING_DATE = dt.date(2026, 12, 1)   # Tuesday: the order is signed (service clock)
COURSE_START = dt.date(2026, 12, 7)    # Monday: day 1 of the planned course = EvalDate
D = COURSE_START
TZ = "+01:00"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
CVX = "http://hl7.org/fhir/sid/cvx"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERP = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
COND_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
COND_VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
COND_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
# The hospital's own code system for concepts without a verified standard code (catalogue §7.5).
LOCAL = "https://ehr.example.org/fhir/CodeSystem/neurology-local"
FHIR_BASE = "https://ehr.example.org/fhir"

PREFETCH_KEYS = [  # key -> resource type, in the order of application.yaml
    ("patient", "Patient"), ("conditions", "Condition"), ("observations", "Observation"),
    ("medicationRequests", "MedicationRequest"), ("medicationStatements", "MedicationStatement"),
    ("medicationAdministrations", "MedicationAdministration"), ("medicationDispenses", "MedicationDispense"),
    ("allergies", "AllergyIntolerance"), ("procedures", "Procedure"), ("immunizations", "Immunization"),
    ("diagnosticReports", "DiagnosticReport"), ("imagingStudies", "ImagingStudy"),
]
PREFETCH_QUERIES = {
    "patient": "Patient/{id}",
    "medicationRequests": "MedicationRequest?patient={id}&_include=MedicationRequest:medication",
    "medicationStatements": "MedicationStatement?patient={id}&_include=MedicationStatement:medication",
    "medicationAdministrations": "MedicationAdministration?patient={id}&_include=MedicationAdministration:medication",
    "medicationDispenses": "MedicationDispense?patient={id}&_include=MedicationDispense:medication",
}

STD_ALL = [("PRE-OBSERVATION", "info"), ("PRE-LISTERIA", "info"), ("ELIG-REMS", "info")]
STD_FEMALE_CBP = STD_ALL + [("PRE-CONTRACEPTION", "info")]
# Rules none of the samples should trigger unless it is the sample's subject (inputs coded with confirmed codes).
DEFAULT_ABSENT = ["CI-HIV", "CI-PREG", "CI-EU-HTN", "CI-EU-STROKE", "CI-EU-COAG", "LAB-IGRA", "LAB-VZV",
                  "CRS-INTERVAL", "SW-CONCURRENT-DMT", "ELIG-DX-RRMS", "ELIG-AGE"]


def day(d, time="09:00:00"):
    return f"{d.isoformat()}T{time}{TZ}"


def months_before(d, n):
    y, m = divmod(d.year * 12 + d.month - 1 - n, 12)
    return dt.date(y, m + 1, min(d.day, 28))


def coding(system, code, display=None):
    c = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


def concept(system, code, display, text=None):
    cc = {"coding": [coding(system, code, display)]}
    if text:
        cc["text"] = text
    return cc


NEGATIVE = {"coding": [coding(SNOMED, "260385009", "Negative")], "text": "Negative"}
POSITIVE = {"coding": [coding(SNOMED, "10828004", "Positive")], "text": "Positive"}
INTERP_CODES = {"N": "Normal", "L": "Low", "H": "High", "NEG": "Negative", "POS": "Positive"}


class Sample:
    def __init__(self, number, slug, title, shows, patient, expected, absent=(), notes="", pid=None):
        self.number, self.slug, self.title, self.shows = number, slug, title, shows
        self.expected, self.notes = expected, notes
        self.absent = sorted(set(absent))
        self.pid = pid or f"ex{number:02d}"
        self.resources = []
        self.drafts = []
        self.n = 0
        self.patient = patient
        patient["id"] = self.pid
        self.resources.append(patient)

    @property
    def name(self):
        return f"{self.number:02d}-{self.slug}"

    def _id(self, kind):
        self.n += 1
        return f"{self.pid}-{kind}-{self.n}"

    def ref(self):
        return {"reference": f"Patient/{self.pid}"}

    def add(self, resource):
        self.resources.append(resource)
        return resource

    # ---- conditions -------------------------------------------------------------------------------------
    def condition(self, code, onset, clinical="active", category="problem-list-item", abatement=None,
                  severity=None, note=None):
        c = {"resourceType": "Condition", "id": self._id("cond"),
             "clinicalStatus": {"coding": [coding(COND_CLINICAL, clinical)]},
             "verificationStatus": {"coding": [coding(COND_VER, "confirmed")]},
             "category": [{"coding": [coding(COND_CATEGORY, category,
                                             "Problem List Item" if category == "problem-list-item" else "Encounter Diagnosis")]}],
             "code": code, "subject": self.ref(), "onsetDateTime": onset.isoformat(),
             "recordedDate": day(onset, "11:30:00")}
        if severity:
            c["severity"] = severity
        if abatement:
            c["abatementDateTime"] = abatement.isoformat()
        if note:
            c["note"] = [{"text": note}]
        return self.add(c)

    def rrms(self, onset, diagnosed):
        c = self.condition(concept(SNOMED, "426373005", "Relapsing remitting multiple sclerosis",
                                   "Relapsing-remitting multiple sclerosis"), onset)
        c["recordedDate"] = day(diagnosed, "11:30:00")
        return c

    def relapse(self, onset, what, disabling=True):
        return self.condition(
            concept(LOCAL, "ms-relapse", "Multiple sclerosis relapse",
                    f"{'Disabling ' if disabling else ''}MS relapse: {what}"),
            onset, clinical="resolved", category="encounter-diagnosis", abatement=onset + dt.timedelta(days=42),
            severity=concept(SNOMED, "24484000", "Severe") if disabling else concept(SNOMED, "6736007", "Moderate"))

    # ---- observations -----------------------------------------------------------------------------------
    def _obs(self, code, date, category="laboratory"):
        o = {"resourceType": "Observation", "id": self._id("obs"), "status": "final",
             "category": [{"coding": [coding(OBS_CATEGORY, category, category.replace("-", " ").title())]}],
             "code": code, "subject": self.ref(), "effectiveDateTime": day(date, "08:15:00"),
             "issued": day(date, "14:40:00")}
        return self.add(o)

    def quantity(self, loinc, display, value, unit, date, low=None, high=None, interpretation=None,
                 category="laboratory", unit_text=None):
        o = self._obs(concept(LOINC, loinc, display), date, category)
        o["valueQuantity"] = {"value": value, "unit": unit_text or unit, "system": UCUM, "code": unit}
        if interpretation is None and (low is not None or high is not None):
            interpretation = "L" if low is not None and value < low else "H" if high is not None and value > high else "N"
        if interpretation:
            o["interpretation"] = [concept(INTERP, interpretation, INTERP_CODES[interpretation])]
        if low is not None or high is not None:
            rr = {}
            if low is not None:
                rr["low"] = {"value": low, "unit": unit_text or unit, "system": UCUM, "code": unit}
            if high is not None:
                rr["high"] = {"value": high, "unit": unit_text or unit, "system": UCUM, "code": unit}
            o["referenceRange"] = [rr]
        return o

    def qualitative(self, loinc, display, positive, date):
        o = self._obs(concept(LOINC, loinc, display), date)
        o["valueCodeableConcept"] = POSITIVE if positive else NEGATIVE
        o["interpretation"] = [concept(INTERP, "POS" if positive else "NEG", "Positive" if positive else "Negative")]
        return o

    def local_obs(self, code, display, text, date, value, unit=None, category="exam", interpretation=None):
        o = self._obs(concept(LOCAL, code, display, text), date, category)
        if isinstance(value, str):
            o["valueString"] = value
        else:
            q = {"value": value}
            if unit:
                q.update({"unit": unit, "system": UCUM, "code": unit})
            o["valueQuantity"] = q
        if interpretation:
            o["interpretation"] = [concept(INTERP, interpretation, INTERP_CODES[interpretation])]
        return o

    def blood_pressure(self, systolic, diastolic, date):
        o = self._obs({"coding": [coding(LOINC, "85354-9", "Blood pressure panel with all children optional")],
                       "text": "Blood pressure"}, date, "vital-signs")
        o["component"] = [
            {"code": concept(LOINC, "8480-6", "Systolic blood pressure"),
             "valueQuantity": {"value": systolic, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}},
            {"code": concept(LOINC, "8462-4", "Diastolic blood pressure"),
             "valueQuantity": {"value": diastolic, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}},
        ]
        return o

    def report(self, code, date, results, category="LAB", conclusion=None):
        r = {"resourceType": "DiagnosticReport", "id": self._id("dr"), "status": "final",
             "category": [concept(V2_0074, category, {"LAB": "Laboratory", "RAD": "Radiology"}[category])],
             "code": code, "subject": self.ref(), "effectiveDateTime": day(date, "08:15:00"),
             "issued": day(date, "16:00:00"),
             "result": [{"reference": f"Observation/{o['id']}"} for o in results]}
        if conclusion:
            r["conclusion"] = conclusion
        return self.add(r)

    # ---- the standard pre-course work-up (catalogue §4.5 LAB-REQ), normal unless overridden -------------
    def cbc(self, date, wbc=6.4, alc=1.9, plt=248, hb=13.6):
        obs = [
            self.quantity("6690-2", "Leukocytes [#/volume] in Blood by Automated count", wbc, "10*3/uL", date, 4.0, 10.0),
            self.quantity("731-0", "Lymphocytes [#/volume] in Blood by Automated count", alc, "10*3/uL", date, 1.0, 4.8),
            self.quantity("777-3", "Platelets [#/volume] in Blood by Automated count", plt, "10*3/uL", date, 150, 400),
            self.quantity("718-7", "Hemoglobin [Mass/volume] in Blood", hb, "g/dL", date, 12.0, 16.0),
        ]
        self.report(concept(LOINC, "58410-2", "Complete blood count (hemogram) panel - Blood by Automated count",
                            "CBC with differential"), date, obs)
        return obs

    def routine_labs(self, date, female, **cbc):
        self.cbc(date, **cbc)
        self.quantity("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", 22, "U/L", date, high=35)
        self.quantity("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", 19, "U/L", date, high=35)
        self.quantity("2324-2", "Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma", 17, "U/L", date, high=40)
        self.quantity("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", 0.6, "mg/dL", date, high=1.2)
        self.quantity("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", 0.74 if female else 0.92, "mg/dL", date,
                      0.5 if female else 0.7, 1.1 if female else 1.3)
        self.quantity("33914-3", "Glomerular filtration rate/1.73 sq M.predicted by Creatinine-based formula (MDRD)",
                      96, "mL/min/{1.73_m2}", date, low=60)
        self.quantity("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", 1.8, "m[IU]/L", date, 0.4, 4.0)
        self.quantity("3053-6", "Triiodothyronine (T3) [Mass/volume] in Serum or Plasma", 112, "ng/dL", date, 80, 200)
        self.quantity("3024-7", "Thyroxine (T4) free [Mass/volume] in Serum or Plasma", 1.2, "ng/dL", date, 0.8, 1.8)
        self.qualitative("20454-5", "Protein [Presence] in Urine by Test strip", False, date)
        self.qualitative("5794-3", "Hemoglobin [Presence] in Urine by Test strip", False, date)
        self.quantity("13945-1", "Erythrocytes [#/area] in Urine sediment by Microscopy high power field", 1, "/[HPF]", date,
                      high=3, unit_text="/HPF")
        self.quantity("2890-2", "Protein/Creatinine [Mass Ratio] in Urine", 70, "mg/g", date, high=150)
        self.quantity("6301-6", "INR in Platelet poor plasma by Coagulation assay", 1.0, "{INR}", date, 0.8, 1.2, unit_text="INR")
        self.quantity("14979-9", "aPTT in Platelet poor plasma by Coagulation assay", 29, "s", date, 25, 37)
        self.quantity("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", 1.4, "mg/L", date, high=5)
        self.quantity("4537-7", "Erythrocyte sedimentation rate by Westergren method", 8, "mm/h", date, high=20)

    def serology(self, date, hiv=True, igra_positive=False):
        if hiv:
            self.qualitative("56888-1", "HIV 1+2 Ab+HIV1 p24 Ag [Presence] in Serum or Plasma by Immunoassay", False, date)
        self.qualitative("5196-1", "Hepatitis B virus surface Ag [Presence] in Serum or Plasma by Immunoassay", False, date)
        self.qualitative("16933-4", "Hepatitis B virus core Ab [Presence] in Serum", False, date)
        self.qualitative("16128-1", "Hepatitis C virus Ab [Presence] in Serum", False, date)
        self.qualitative("24110-9", "Treponema pallidum Ab [Presence] in Serum by Immunoassay", False, date)
        self.qualitative("71773-6", "Mycobacterium tuberculosis stimulated gamma interferon [Presence] in Blood",
                         igra_positive, date)

    def vzv(self, date, positive=True):
        return self.qualitative("19162-7", "Varicella zoster virus IgG Ab [Presence] in Serum", positive, date)

    def hpv(self, date):
        return self.qualitative("30167-1", "Human papilloma virus 16+18+31+33+35+39+45+51+52+56+58+59+68 DNA "
                                "[Presence] in Cervix by Probe with signal amplification", False, date)

    def mri(self, date, active, extra=""):
        gd = 2 if active else 0
        t2 = 3 if active else 0
        results = [
            self.local_obs("mri-gd-lesions", "Gadolinium-enhancing lesions (count)",
                           "MRI: number of gadolinium-enhancing lesions", date, gd, "{lesions}", "imaging"),
            self.local_obs("mri-new-t2-lesions", "New or enlarging T2 lesions (count)",
                           "MRI: number of new or enlarging T2 lesions vs prior MRI", date, t2, "{lesions}", "imaging"),
        ]
        text = (f"{gd} new gadolinium-enhancing lesions and {t2} new or enlarging T2 lesions compared with the prior MRI."
                if active else "No new or enlarging T2 lesions and no gadolinium-enhancing lesions compared with the prior MRI.")
        self.report(concept(LOCAL, "mri-neuraxis-gd", "MRI brain and whole spine with and without gadolinium",
                            "MRI brain and spinal cord with and without contrast"), date, results, "RAD",
                    text + extra + " No imaging features suggestive of PML.")

    def edss(self, date, score):
        return self.local_obs("edss", "EDSS (Expanded Disability Status Scale) score",
                              "EDSS score", date, score, "{score}", "exam")

    def skin_exam(self, date):
        return self.add({"resourceType": "Procedure", "id": self._id("proc"), "status": "completed",
                         "code": concept(LOCAL, "skin-exam-full", "Full-body skin examination",
                                         "Full-body skin examination (dermatology)"),
                         "subject": self.ref(), "performedDateTime": day(date, "10:00:00"),
                         "outcome": {"text": "No suspicious lesions"}})

    def influenza_vaccine(self, date):
        return self.add({"resourceType": "Immunization", "id": self._id("imm"), "status": "completed",
                         "vaccineCode": concept(CVX, "140", "Influenza, seasonal, injectable, preservative free"),
                         "patient": self.ref(), "occurrenceDateTime": day(date, "10:30:00"), "primarySource": True})

    def complete_workup(self, female, labs=D - dt.timedelta(days=11), serology=D - dt.timedelta(days=25), hiv=True,
                        igra_positive=False, vzv_positive=True, bp=(118, 76), mri_active=True, **cbc):
        """The complete pre-course work-up of catalogue §4.5 (LAB-REQ, LAB-MRI, LAB-VZV) plus BP and EDSS."""
        self.routine_labs(labs, female, **cbc)
        self.serology(serology, hiv=hiv, igra_positive=igra_positive)
        if vzv_positive:
            self.vzv(dt.date(2024, 3, 12), True)
        else:
            self.vzv(serology, False)
        if female:
            self.hpv(D - dt.timedelta(days=160))
        self.blood_pressure(bp[0], bp[1], labs)
        self.mri(D - dt.timedelta(days=18), mri_active)
        self.edss(D - dt.timedelta(days=18), 2.5)
        self.skin_exam(D - dt.timedelta(days=18))
        self.influenza_vaccine(D - dt.timedelta(days=63))

    # ---- medications ----------------------------------------------------------------------------------------
    def med_history(self, med, start, end, dose_text, route="oral", authored=None):
        """A stopped prescription and a completed MedicationStatement for a drug taken from start to end."""
        req = {"resourceType": "MedicationRequest", "id": self._id("medrx"), "status": "stopped", "intent": "order",
               "medicationCodeableConcept": med, "subject": self.ref(),
               "authoredOn": day(authored or start, "11:00:00"),
               "dosageInstruction": [{"text": dose_text, "timing": {"repeat": {"boundsPeriod": {
                   "start": start.isoformat(), "end": end.isoformat()}}}}]}
        if route == "oral":
            req["dosageInstruction"][0]["route"] = concept(SNOMED, "26643006", "Oral route")
        self.add(req)
        self.add({"resourceType": "MedicationStatement", "id": self._id("medst"), "status": "completed",
                  "medicationCodeableConcept": med, "subject": self.ref(),
                  "effectivePeriod": {"start": start.isoformat(), "end": end.isoformat()},
                  "dateAsserted": day(end + dt.timedelta(days=3), "11:00:00"),
                  "dosage": [{"text": dose_text}]})

    def administration(self, med, date, dose_mg, route_iv=True):
        a = {"resourceType": "MedicationAdministration", "id": self._id("medadm"), "status": "completed",
             "medicationCodeableConcept": med, "subject": self.ref(),
             "effectiveDateTime": day(date, "10:15:00"),
             "dosage": {"dose": {"value": dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}}}
        if route_iv:
            a["dosage"]["route"] = concept(SNOMED, "47625008", "Intravenous route")
        return self.add(a)

    # ---- the order being signed ----------------------------------------------------------------------------
    def _draft(self, slug, med, text, repeat, dose, unit, route, reason=None):
        r = {"resourceType": "MedicationRequest", "id": f"{self.pid}-draft-{slug}", "status": "draft",
             "intent": "order", "medicationCodeableConcept": med, "subject": self.ref(),
             "authoredOn": day(PLANNING_DATE, "10:05:00"),
             "requester": {"reference": "Practitioner/prac-neuro-1", "display": "Dr. Helena Brandt (Neurology)"},
             "dosageInstruction": [{"sequence": 1, "text": text, "timing": {"repeat": repeat},
                                    "route": route,
                                    "doseAndRate": [{"doseQuantity": {"value": dose, "unit": unit, "system": UCUM,
                                                                      "code": unit}}]}]}
        if reason:
            r["reasonCode"] = [reason]
        self.drafts.append(r)
        return r

    def order_course(self, course_number):
        days = 5 if course_number == 1 else 3
        iv = concept(SNOMED, "47625008", "Intravenous route")
        oral = concept(SNOMED, "26643006", "Oral route")
        end = D + dt.timedelta(days=days - 1)
        self._draft("alemtuzumab",
                    concept(RXNORM, "1594663", "1.2 ML alemtuzumab 10 MG/ML Injection [Lemtrada]",
                            "Lemtrada (alemtuzumab) 12 mg/1.2 mL concentrate for infusion"),
                    f"Course {course_number}: 12 mg in 100 mL NaCl 0.9% IV over 4 hours once daily on {days} "
                    f"consecutive days",
                    {"boundsPeriod": {"start": D.isoformat(), "end": end.isoformat()}, "count": days, "frequency": 1,
                     "period": 1, "periodUnit": "d", "duration": 4, "durationUnit": "h"},
                    12, "mg", iv,
                    concept(SNOMED, "426373005", "Relapsing remitting multiple sclerosis"))
        self._draft("methylprednisolone",
                    concept(RXNORM, "1743726", "methylprednisolone 1000 MG Injection",
                            "Methylprednisolone 1 g IV"),
                    "1,000 mg IV over 60 min, ending before the alemtuzumab infusion, on course days 1-3",
                    {"boundsPeriod": {"start": D.isoformat(), "end": (D + dt.timedelta(days=2)).isoformat()},
                     "count": 3, "frequency": 1, "period": 1, "periodUnit": "d"},
                    1000, "mg", iv)
        self._draft("acyclovir",
                    concept(RXNORM, "197311", "acyclovir 400 MG Oral Tablet", "Acyclovir 400 mg tablet"),
                    "400 mg twice daily from course day 1, for at least 2 months after the course and until "
                    "CD4 >= 200 cells/uL",
                    {"boundsPeriod": {"start": D.isoformat()}, "frequency": 2, "period": 1, "periodUnit": "d"},
                    400, "mg", oral)
        self._draft("cetirizine",
                    concept(RXNORM, "20610", "Cetirizine", "Cetirizine 10 mg tablet"),
                    "10 mg twice daily from the evening before day 1 until 7 days after the course",
                    {"boundsPeriod": {"start": (D - dt.timedelta(days=1)).isoformat(),
                                      "end": (end + dt.timedelta(days=7)).isoformat()},
                     "frequency": 2, "period": 1, "periodUnit": "d"},
                    10, "mg", oral)
        self._draft("famotidine",
                    concept(RXNORM, "4278", "Famotidine", "Famotidine 20 mg tablet"),
                    "20 mg twice daily during the course",
                    {"boundsPeriod": {"start": (D - dt.timedelta(days=1)).isoformat(), "end": end.isoformat()},
                     "frequency": 2, "period": 1, "periodUnit": "d"},
                    20, "mg", oral)
        self._draft("paracetamol",
                    concept(RXNORM, "161", "Acetaminophen", "Paracetamol 1 g IV"),
                    "1 g IV 30-60 min before each alemtuzumab infusion",
                    {"boundsPeriod": {"start": D.isoformat(), "end": end.isoformat()}, "count": days,
                     "frequency": 1, "period": 1, "periodUnit": "d"},
                    1000, "mg", iv)

    # ---- output ----------------------------------------------------------------------------------------------
    def entry(self, resource, search=False):
        e = {"fullUrl": f"{FHIR_BASE}/{resource['resourceType']}/{resource['id']}", "resource": resource}
        if search:
            e["search"] = {"mode": "match"}
        return e

    def bundle(self):
        return {"resourceType": "Bundle", "id": f"{self.name}",
                "meta": {"lastUpdated": day(PLANNING_DATE, "07:00:00")},
                "type": "collection",
                "entry": [self.entry(r) for r in self.resources]}

    def request(self):
        prefetch = {}
        for key, rtype in PREFETCH_KEYS:
            if rtype == "Patient":
                prefetch[key] = self.patient
                continue
            of_type = [r for r in self.resources if r["resourceType"] == rtype]
            query = PREFETCH_QUERIES.get(key, rtype + "?patient={id}").format(id=self.pid)
            prefetch[key] = {"resourceType": "Bundle", "type": "searchset", "total": len(of_type),
                             "link": [{"relation": "self", "url": f"{FHIR_BASE}/{query}"}],
                             "entry": [self.entry(r, True) for r in of_type]}
        return {
            "hook": "order-sign",
            "hookInstance": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://alemcds.org/examples/{self.name}")),
            "context": {
                "userId": "Practitioner/prac-neuro-1",
                "patientId": self.pid,
                "draftOrders": {"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in self.drafts]},
            },
            "prefetch": prefetch,
        }


def patient(given, family, gender, birth, mrn):
    return {"resourceType": "Patient", "id": None,
            "identifier": [{"use": "usual",
                            "type": concept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"),
                            "system": "https://ehr.example.org/fhir/sid/mrn", "value": mrn}],
            "active": True,
            "name": [{"use": "official", "family": family, "given": given}],
            "gender": gender, "birthDate": birth.isoformat(),
            "address": [{"use": "home", "city": "Dresden", "postalCode": "01307", "country": "DE"}],
            "communication": [{"language": concept("urn:ietf:bcp:47", "de", "German"), "preferred": True}]}


# ---------------------------------------------------------------------------------------------------------------
# Medications (product-level RxNorm codes where terminology-supplement.md lists one; otherwise the ingredient code
# the catalogue lists, with the product as text)
# ---------------------------------------------------------------------------------------------------------------
NATALIZUMAB = concept(RXNORM, "477484", "15 ML natalizumab 20 MG/ML Injection", "Tysabri (natalizumab) 300 mg IV")
DMF = concept(RXNORM, "1373478", "dimethyl fumarate", "Tecfidera (dimethyl fumarate) 240 mg gastro-resistant capsule")
TERIFLUNOMIDE = concept(RXNORM, "1310525", "teriflunomide 14 MG Oral Tablet", "Aubagio (teriflunomide) 14 mg tablet")
FINGOLIMOD = concept(RXNORM, "1012899", "fingolimod 0.5 MG Oral Capsule [Gilenya]", "Gilenya (fingolimod) 0.5 mg capsule")
IFN_B1A = {"coding": [coding(RXNORM, "75917", "interferon beta-1a")],
           "text": "Avonex (interferon beta-1a) 30 micrograms IM weekly"}
GLATIRAMER = {"coding": [coding(RXNORM, "214582", "glatiramer acetate")],
              "text": "Copaxone (glatiramer acetate) 40 mg/mL s.c. three times weekly"}
CLOPIDOGREL = concept(RXNORM, "309362", "clopidogrel 75 MG Oral Tablet", "Clopidogrel 75 mg tablet")
LEMTRADA = concept(RXNORM, "1594663", "1.2 ML alemtuzumab 10 MG/ML Injection [Lemtrada]",
                   "Lemtrada (alemtuzumab) 12 mg/1.2 mL concentrate for infusion")


def samples():
    out = []

    # 00 -------------------------------------------------------------------------------------------------------
    s = Sample(0, "clean-naive-eligible",
               "Treatment-naive, rapidly evolving severe RRMS, complete work-up",
               "The control: a 28-year-old woman with rapidly evolving severe RRMS (two disabling relapses in the "
               "last 12 months, active MRI), no prior DMT, every pre-course item present and normal, premedication "
               "and antiviral prophylaxis in the order set. Only the standard information set, the day-1 pregnancy "
               "test reminder and the US prior-therapy note are expected.",
               patient(["Lena", "Marie"], "Hoffmann", "female", dt.date(1998, 3, 14), "MRN-100200"),
               expected=STD_FEMALE_CBP + [("LAB-HCG", "info"), ("ELIG-PRIOR-DMT", "info")],
               absent=DEFAULT_ABSENT + ["CI-LACT", "CI-EU-ANGINA-MI", "CI-EU-DISSECTION", "CI-ACTIVE-TB",
                                        "CI-HYPERSENS", "ELIG-NMO", "LAB-VACCINE-6W", "RCI-CHRONIC-INFECTION",
                                        "RCI-THROMBOCYTOPENIA", "RCI-ORGAN", "CRS-DOSE-SCHEDULE", "CRS-MAX-COURSES"],
               notes="ELIG-PRIOR-DMT is info (not the EU warning) only if the rule recognises the rapidly evolving "
                     "severe criteria from the local relapse and MRI codes listed below.")
    s.rrms(dt.date(2025, 3, 2), dt.date(2025, 6, 20))
    s.relapse(dt.date(2026, 2, 9), "left optic neuritis, visual acuity 0.3")
    s.relapse(dt.date(2026, 7, 21), "brainstem syndrome with diplopia and gait ataxia")
    s.complete_workup(female=True)
    s.order_course(1)
    out.append(s)

    # 01 -------------------------------------------------------------------------------------------------------
    s = Sample(1, "ntz-high-risk-too-early",
               "Natalizumab, JCV antibody positive, >2 years, stopped 2 months ago",
               "SW-NTZ high PML-risk stratum (JCV index 1.8, natalizumab 4.5 years): the last infusion was 62 days "
               "before the planned start, before the first exclusion MRI at 3 months; earliest alemtuzumab is "
               "6 months after the last infusion (2027-04-06).",
               patient(["Sarah"], "Keller", "female", dt.date(1992, 6, 2), "MRN-100201"),
               expected=STD_FEMALE_CBP + [("SW-NTZ", "critical"), ("LAB-HCG", "info"), ("ELIG-PRIOR-DMT", "info")],
               absent=DEFAULT_ABSENT)
    s.rrms(dt.date(2018, 9, 10), dt.date(2019, 1, 15))
    s.relapse(dt.date(2026, 4, 14), "right hemihypaesthesia and hand clumsiness")
    last = dt.date(2026, 10, 6)
    first = last - dt.timedelta(days=28 * 59)   # 60 infusions, 4.5 years
    infusion = first
    while infusion <= last:
        s.administration(NATALIZUMAB, infusion, 300)
        infusion += dt.timedelta(days=28)
    assert infusion - dt.timedelta(days=28) == last, infusion
    s.med_history(NATALIZUMAB, first, last, "300 mg IV every 4 weeks", route="iv")
    s.local_obs("jcv-ab-index", "JC virus antibody index (STRATIFY JCV DxSelect)", "Anti-JCV antibody index",
                dt.date(2026, 8, 11), 1.8, "{index}", "laboratory", "POS")
    s.complete_workup(female=True, mri_active=False)
    s.order_course(1)
    out.append(s)

    # 02 -------------------------------------------------------------------------------------------------------
    s = Sample(2, "dmf-low-alc",
               "Dimethyl fumarate stopped 7 weeks ago, lymphocytes 0.9 x10^9/L",
               "SW-FUMARATE: the 1-month washout is met (stopped 2026-10-20) but the absolute lymphocyte count after "
               "the stop is 0.9 x10^3/uL, not above 1.5 x10^9/L.",
               patient(["Jonas"], "Richter", "male", dt.date(1985, 11, 23), "MRN-100202"),
               expected=STD_ALL + [("SW-FUMARATE-ALC", "warning"), ("ELIG-PRIOR-DMT", "info")],
               absent=DEFAULT_ABSENT + ["SW-FUMARATE-WASH"])
    s.rrms(dt.date(2019, 5, 6), dt.date(2019, 10, 1))
    s.relapse(dt.date(2026, 3, 3), "transverse myelitis, sensory level T8")
    s.relapse(dt.date(2026, 8, 25), "right optic neuritis")
    s.med_history(DMF, dt.date(2021, 1, 11), dt.date(2026, 10, 20), "240 mg orally twice daily")
    s.cbc(dt.date(2026, 7, 14), wbc=4.1, alc=0.6)   # on treatment
    s.complete_workup(female=False, wbc=4.6, alc=0.9)
    s.order_course(1)
    out.append(s)

    # 03 -------------------------------------------------------------------------------------------------------
    s = Sample(3, "teriflunomide-no-elimination",
               "Teriflunomide stopped 12 weeks ago without accelerated elimination",
               "SW-TERI: washout and lymphocytes are fine, but no cholestyramine elimination procedure and no "
               "teriflunomide plasma level after elimination are recorded.",
               patient(["Katharina"], "Vogel", "female", dt.date(1988, 1, 30), "MRN-100203"),
               expected=STD_FEMALE_CBP + [("SW-TERI-ELIM", "warning"), ("SW-TERI-LEVEL", "warning"),
                                          ("LAB-HCG", "info"), ("ELIG-PRIOR-DMT", "info")],
               absent=DEFAULT_ABSENT + ["SW-TERI-WASH", "SW-TERI-ALC"])
    s.rrms(dt.date(2020, 2, 18), dt.date(2020, 6, 2))
    s.relapse(dt.date(2026, 5, 19), "left-sided hemiparesis")
    s.med_history(TERIFLUNOMIDE, dt.date(2022, 5, 2), dt.date(2026, 9, 15), "14 mg orally once daily")
    s.complete_workup(female=True)
    s.order_course(1)
    out.append(s)

    # 04 -------------------------------------------------------------------------------------------------------
    s = Sample(4, "fingolimod-low-alc",
               "Fingolimod stopped 6 weeks ago, lymphocytes 0.8 x10^3/uL",
               "SW-S1P: the lymphocyte count after stopping fingolimod is 0.8 x10^3/uL (= 0.8 x10^9/L), not above "
               "1.0 x10^9/L; the count is reported in 10*3/uL and must be normalised (catalogue §2.5).",
               patient(["Miriam"], "Schulz", "female", dt.date(1982, 8, 9), "MRN-100204"),
               expected=STD_FEMALE_CBP + [("SW-S1P", "warning"), ("LAB-HCG", "info"), ("ELIG-PRIOR-DMT", "info")],
               absent=DEFAULT_ABSENT)
    s.rrms(dt.date(2017, 10, 2), dt.date(2018, 2, 12))
    s.relapse(dt.date(2026, 6, 8), "cerebellar ataxia")
    s.med_history(FINGOLIMOD, dt.date(2021, 3, 1), dt.date(2026, 10, 26), "0.5 mg orally once daily")
    s.complete_workup(female=True, wbc=3.9, alc=0.8)
    s.order_course(1)
    out.append(s)

    # 05 -------------------------------------------------------------------------------------------------------
    s = Sample(5, "hiv-test-missing",
               "No HIV test within 90 days",
               "CI-HIV: the only HIV-1/2 Ag/Ab result is from 2025-06-10 (more than 90 days before the course); HIV "
               "must be excluded before alemtuzumab (critical, catalogue §2.9 exception). Otherwise a complete "
               "work-up after interferon beta-1a and glatiramer acetate.",
               patient(["Julia"], "Neumann", "female", dt.date(1995, 12, 4), "MRN-100205"),
               expected=STD_FEMALE_CBP + [("CI-HIV", "critical"), ("LAB-HCG", "info")],
               absent=[a for a in DEFAULT_ABSENT if a != "CI-HIV"])
    s.rrms(dt.date(2016, 4, 11), dt.date(2016, 9, 5))
    s.relapse(dt.date(2026, 1, 27), "right optic neuritis")
    s.relapse(dt.date(2026, 9, 2), "paraparesis")
    s.med_history(IFN_B1A, dt.date(2017, 1, 9), dt.date(2020, 12, 14), "30 micrograms IM once weekly", route="im")
    s.med_history(GLATIRAMER, dt.date(2021, 1, 4), dt.date(2026, 10, 30), "40 mg s.c. three times weekly",
                  route="sc")
    s.qualitative("56888-1", "HIV 1+2 Ab+HIV1 p24 Ag [Presence] in Serum or Plasma by Immunoassay", False,
                  dt.date(2025, 6, 10))
    s.complete_workup(female=True, hiv=False)
    s.order_course(1)
    out.append(s)

    # 06 -------------------------------------------------------------------------------------------------------
    s = Sample(6, "pregnancy-positive-hcg",
               "Positive urine pregnancy test before the course",
               "CI-PREG: urine hCG (LOINC 2106-3) positive on 2026-11-30; alemtuzumab must not be given. LAB-HCG is "
               "not evaluated when a positive test exists.",
               patient(["Anna"], "Lehmann", "female", dt.date(1997, 2, 17), "MRN-100206"),
               expected=STD_ALL + [("CI-PREG", "critical"), ("ELIG-PRIOR-DMT", "info")],
               absent=[a for a in DEFAULT_ABSENT if a != "CI-PREG"] + ["LAB-HCG"],
               notes="PRE-CONTRACEPTION (standard set, women of childbearing potential) is left out of the expected "
                     "list: the catalogue emits it, but a pregnant patient is a reasonable exception.")
    s.rrms(dt.date(2021, 7, 19), dt.date(2021, 11, 8))
    s.relapse(dt.date(2026, 3, 30), "left optic neuritis")
    s.relapse(dt.date(2026, 8, 17), "right leg weakness")
    s.med_history(GLATIRAMER, dt.date(2022, 1, 10), dt.date(2026, 10, 31), "40 mg s.c. three times weekly",
                  route="sc")
    s.complete_workup(female=True)
    s.qualitative("2106-3", "Choriogonadotropin (pregnancy test) [Presence] in Urine", True, dt.date(2026, 11, 30))
    s.order_course(1)
    out.append(s)

    # 07 -------------------------------------------------------------------------------------------------------
    s = Sample(7, "eu-uncontrolled-bp-stroke",
               "Uncontrolled hypertension, past ischaemic stroke, on clopidogrel [EU]",
               "The 2020 EU (Art. 20) contraindications: BP 168/102 mmHg (CI-EU-HTN critical), a 2022 stroke "
               "(CI-EU-STROKE) and ongoing clopidogrel (CI-EU-COAG); MS for 12 years (ELIG-EDSS duration note).",
               patient(["Thomas"], "Wagner", "male", dt.date(1974, 4, 21), "MRN-100207"),
               expected=STD_ALL + [("CI-EU-HTN", "critical"), ("CI-EU-STROKE", "critical"),
                                   ("CI-EU-COAG", "critical"), ("ELIG-EDSS", "info")],
               absent=[a for a in DEFAULT_ABSENT if a not in ("CI-EU-HTN", "CI-EU-STROKE", "CI-EU-COAG")])
    s.rrms(dt.date(2014, 5, 12), dt.date(2014, 10, 20))
    s.relapse(dt.date(2026, 4, 27), "left hemiparesis")
    s.relapse(dt.date(2026, 9, 14), "diplopia")
    s.condition(concept(SNOMED, "38341003", "Hypertensive disorder", "Essential hypertension"), dt.date(2019, 2, 4))
    s.condition(concept(SNOMED, "230690007", "Cerebrovascular accident", "Ischaemic stroke, left MCA territory"),
                dt.date(2022, 11, 3), clinical="resolved", category="encounter-diagnosis",
                abatement=dt.date(2023, 1, 15))
    s.med_history(IFN_B1A, dt.date(2014, 11, 3), dt.date(2017, 6, 30), "30 micrograms IM once weekly", route="im")
    s.med_history(DMF, dt.date(2017, 8, 1), dt.date(2026, 9, 1), "240 mg orally twice daily")
    s.add({"resourceType": "MedicationRequest", "id": s._id("medrx"), "status": "active", "intent": "order",
           "medicationCodeableConcept": CLOPIDOGREL, "subject": s.ref(),
           "authoredOn": day(dt.date(2026, 5, 12), "11:00:00"),
           "reasonCode": [concept(SNOMED, "230690007", "Cerebrovascular accident")],
           "dosageInstruction": [{"text": "75 mg orally once daily",
                                  "timing": {"repeat": {"boundsPeriod": {"start": "2022-11-05"}, "frequency": 1,
                                                        "period": 1, "periodUnit": "d"}},
                                  "route": concept(SNOMED, "26643006", "Oral route")}]})
    s.blood_pressure(171, 104, dt.date(2026, 10, 20))
    s.complete_workup(female=False, bp=(168, 102))
    s.edss(D - dt.timedelta(days=18), 3.5)
    s.order_course(1)
    out.append(s)

    # 08 -------------------------------------------------------------------------------------------------------
    s = Sample(8, "igra-positive",
               "Positive QuantiFERON, no chest X-ray, no isoniazid",
               "LAB-IGRA: interferon-gamma release assay positive on 2026-11-12; active TB has not been excluded by "
               "chest X-ray and isoniazid has not been started (critical, catalogue §2.9 exception).",
               patient(["Elif"], "Yilmaz", "female", dt.date(1990, 10, 12), "MRN-100208"),
               expected=STD_FEMALE_CBP + [("LAB-IGRA", "critical"), ("LAB-HCG", "info"), ("ELIG-PRIOR-DMT", "info")],
               absent=[a for a in DEFAULT_ABSENT if a != "LAB-IGRA"])
    s.rrms(dt.date(2019, 11, 25), dt.date(2020, 3, 9))
    s.relapse(dt.date(2026, 2, 23), "sensory myelitis")
    s.relapse(dt.date(2026, 9, 28), "right optic neuritis")
    s.med_history(IFN_B1A, dt.date(2020, 4, 6), dt.date(2026, 10, 15), "30 micrograms IM once weekly", route="im")
    s.complete_workup(female=True, igra_positive=True)
    s.order_course(1)
    out.append(s)

    # 09 -------------------------------------------------------------------------------------------------------
    s = Sample(9, "vzv-negative",
               "Varicella-zoster IgG negative, not vaccinated",
               "LAB-VZV: VZV IgG negative on 2026-11-12 and no varicella vaccination since: vaccinate and postpone "
               "alemtuzumab until at least 6 weeks after the vaccine.",
               patient(["Lukas"], "Becker", "male", dt.date(1999, 5, 28), "MRN-100209"),
               expected=STD_ALL + [("LAB-VZV", "warning"), ("ELIG-PRIOR-DMT", "info")],
               absent=[a for a in DEFAULT_ABSENT if a != "LAB-VZV"])
    s.rrms(dt.date(2023, 1, 16), dt.date(2023, 4, 3))
    s.relapse(dt.date(2026, 1, 12), "brainstem syndrome")
    s.relapse(dt.date(2026, 7, 6), "left arm weakness")
    s.med_history(GLATIRAMER, dt.date(2023, 5, 2), dt.date(2026, 10, 28), "40 mg s.c. three times weekly",
                  route="sc")
    s.complete_workup(female=False, vzv_positive=False)
    s.order_course(1)
    out.append(s)

    # 10 -------------------------------------------------------------------------------------------------------
    s = Sample(10, "second-course-too-early",
               "Second course planned 11 months after the first",
               "CRS-INTERVAL: course 1 was given 2026-01-12 to 2026-01-16; course 2 may start on 2027-01-16 at the "
               "earliest, the order plans 2026-12-07. The switching ALC rules do not apply to course 2 although the "
               "lymphocytes are still low after course 1.",
               patient(["Sophie"], "Krause", "female", dt.date(1993, 9, 7), "MRN-100210"),
               expected=STD_FEMALE_CBP + [("CRS-INTERVAL", "critical"), ("LAB-HCG", "info")],
               absent=[a for a in DEFAULT_ABSENT if a != "CRS-INTERVAL"] + ["SW-S1P", "ELIG-PRIOR-DMT",
                                                                           "CRS-DOSE-SCHEDULE"])
    s.rrms(dt.date(2018, 3, 5), dt.date(2018, 7, 16))
    s.relapse(dt.date(2025, 6, 2), "right optic neuritis")
    s.relapse(dt.date(2025, 9, 29), "paraparesis")
    s.relapse(dt.date(2026, 10, 5), "left hemiataxia", disabling=False)
    s.med_history(FINGOLIMOD, dt.date(2019, 2, 4), dt.date(2025, 11, 3), "0.5 mg orally once daily")
    course1 = [dt.date(2026, 1, 12) + dt.timedelta(days=i) for i in range(5)]
    for i, d_ in enumerate(course1):
        if i < 3:
            s.administration(concept(RXNORM, "1743726", "methylprednisolone 1000 MG Injection",
                                     "Methylprednisolone 1 g IV"), d_, 1000)
        s.administration(LEMTRADA, d_, 12)
    # monthly safety labs after course 1 (catalogue §4.8), the last one is the pre-course panel
    month = dt.date(2026, 2, 16)
    while month < dt.date(2026, 11, 1):
        s.cbc(month, wbc=4.2, alc=0.7 if month < dt.date(2026, 6, 1) else 0.8, plt=221)
        s.quantity("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", 0.71, "mg/dL", month, 0.5, 1.1)
        s.qualitative("5794-3", "Hemoglobin [Presence] in Urine by Test strip", False, month)
        s.quantity("13945-1", "Erythrocytes [#/area] in Urine sediment by Microscopy high power field", 1, "/[HPF]",
                   month, high=3, unit_text="/HPF")
        if month.month in (4, 7, 10):
            s.quantity("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", 2.1, "m[IU]/L", month, 0.4, 4.0)
        month = months_before(month, -1)
    s.complete_workup(female=True, wbc=4.3, alc=0.8)
    s.order_course(2)
    out.append(s)

    return out


def readme(all_samples):
    lines = [
        "# Sample patients and CDS Hooks requests",
        "",
        "Fictional patients for trying the service and for the end-to-end test",
        "`src/test/java/org/alemcds/examples/ExampleRequestsTest.java`. Generated by `tools/examples.py`",
        "(edit the script, not the JSON, and re-run it).",
        "",
        f"* **Planning date** (the day the order is signed; the service clock in the test): {PLANNING_DATE}.",
        f"* **Planned course start** (`boundsPeriod.start` of the alemtuzumab order = EvalDate, catalogue §2.1): "
        f"{COURSE_START}.",
        "* `NN-name.bundle.json`: the patient's record as a FHIR R4 `collection` Bundle.",
        "* `NN-name.order-sign.json`: a ready `order-sign` request for the service `alemtuzumab-order-sign`. "
        "`context.draftOrders` holds the alemtuzumab order (RxNorm 1594663, 12 mg IV daily, 5 days for course 1 and "
        "3 days later) and its order set (methylprednisolone 1 g days 1-3, acyclovir from day 1, cetirizine, "
        "famotidine, paracetamol). `prefetch` carries the record under exactly the keys of the service's discovery "
        "prefetch (`src/main/resources/application.yaml`), each a `searchset` Bundle.",
        "* `expected-cards.json`: per request, the cards (rule ID and indicator) the catalogue requires "
        "(`expected`), and rule IDs that must stay silent (`absent`).",
        "",
        "Every record has a complete pre-course work-up (catalogue §4.5) unless the sample is about a missing item: "
        "CBC with differential, liver and kidney tests, TSH/T3/fT4, urinalysis with microscopy, urine "
        "protein/creatinine, INR/aPTT, CRP/ESR 11 days before the course; HIV, HBsAg, anti-HBc, HCV, syphilis and "
        "IGRA 25 days before; VZV IgG positive (2024); HPV for women; blood pressure (LOINC 85354-9 panel with "
        "8480-6/8462-4 components, as the FHIR vital-signs profile requires); MRI of the neuraxis, EDSS and a skin "
        "examination 18 days before; an influenza vaccine 63 days before. Labs use LOINC codes and UCUM units "
        "(cell counts in `10*3/uL`), qualitative results SNOMED CT Positive/Negative with a v3 interpretation, "
        "medications product-level RxNorm codes where `terminology-supplement.md` lists one (else the catalogue's "
        "ingredient code, with the product as text).",
        "",
        "| Request | Patient | What it shows | Expected cards |",
        "|---|---|---|---|",
    ]
    for s in all_samples:
        p = s.patient
        age = COURSE_START.year - int(p["birthDate"][:4]) - (
            (COURSE_START.month, COURSE_START.day) < (int(p["birthDate"][5:7]), int(p["birthDate"][8:10])))
        who = f"{' '.join(p['name'][0]['given'])} {p['name'][0]['family']}, {p['gender']}, {age} y"
        exp = ", ".join(f"{i} ({ind})" for i, ind in s.expected)
        lines.append(f"| `{s.name}.order-sign.json` | {who} | **{s.title}.** {s.shows} | {exp} |")
    lines += [
        "",
        "Standard information set on every `order-sign` (catalogue §2.8): PRE-OBSERVATION, PRE-LISTERIA, "
        "ELIG-REMS (UNION/US profile), PRE-CONTRACEPTION (women of childbearing potential). LAB-HCG is `info` "
        "because the course starts after the planning date (the day-1 test cannot exist yet).",
        "",
        "Notes:",
        "",
    ]
    for s in all_samples:
        if s.notes:
            lines.append(f"* `{s.name}`: {s.notes}")
    lines += [
        "",
        "## Local codes",
        "",
        f"Concepts without a verified standard code (catalogue §7.5) use the hospital code system `{LOCAL}`, with a "
        "display and a text that name the concept, so value sets can match them by name (`name|...` members):",
        "",
        "| Code | Display | Resource |",
        "|---|---|---|",
        "| `ms-relapse` | Multiple sclerosis relapse (text \"Disabling MS relapse: ...\", severity SNOMED 24484000 "
        "Severe) | Condition, clinicalStatus resolved, category encounter-diagnosis |",
        "| `mri-neuraxis-gd` | MRI brain and whole spine with and without gadolinium | DiagnosticReport (category RAD) "
        "with a conclusion text |",
        "| `mri-gd-lesions` | Gadolinium-enhancing lesions (count) | Observation (imaging), result of the MRI report |",
        "| `mri-new-t2-lesions` | New or enlarging T2 lesions (count) | Observation (imaging), result of the MRI report |",
        "| `edss` | EDSS (Expanded Disability Status Scale) score | Observation (exam) |",
        "| `jcv-ab-index` | JC virus antibody index (STRATIFY JCV DxSelect) | Observation (laboratory), interpretation POS |",
        "| `skin-exam-full` | Full-body skin examination | Procedure |",
        "",
        "## Checking the expectations",
        "",
        "`ExampleRequestsTest` starts the application with a clock fixed at the planning date, posts every request "
        "over HTTP and asserts that the expected cards (rule ID and indicator) are among the returned cards and that "
        "the `absent` rule IDs are not. It checks only rule IDs that have a card template in "
        "`fhir-resources/cards/*.json`, so it tightens by itself as rules are implemented. To try one by hand:",
        "",
        "```",
        "curl -s -H 'Content-Type: application/json' \\",
        "  --data @fhir-resources/examples/05-hiv-test-missing.order-sign.json \\",
        "  http://localhost:8080/cds-services/alemtuzumab-order-sign",
        "```",
        "",
        "(A running server uses the real date, so date-dependent cards such as LAB-HCG can differ from the manifest.)",
        "",
    ]
    return "\n".join(lines)


def bench_request(repo):
    """The benchmark record: the Synthea patient Debora709_Mayer370 (309 resources, Apache-2.0, see
    src/test/resources/synthea/NOTICE.md) with an MS history, a complete pre-course work-up after dimethyl fumarate
    and an alemtuzumab order set; written compact as the order-sign request the benchmark and load tests send."""
    source = json.load(open(os.path.join(repo, "src", "test", "resources", "synthea", "Debora709_Mayer370.json")))
    types = {e["resource"]["id"]: e["resource"]["resourceType"] for e in source["entry"]}

    def relative(node):
        if isinstance(node, dict):
            return {k: (f"{types[v[9:]]}/{v[9:]}" if k == "reference" and isinstance(v, str) and v.startswith("urn:uuid:")
                        and v[9:] in types else relative(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [relative(x) for x in node]
        return node

    resources = [relative(e["resource"]) for e in source["entry"]]
    pat = next(r for r in resources if r["resourceType"] == "Patient")
    s = Sample(99, "synthea-ms", "Synthea record with MS history", "benchmark", pat, expected=[], pid=pat["id"])
    for r in resources:
        if r is not pat:
            s.add(r)
    s.rrms(dt.date(2015, 4, 20), dt.date(2015, 9, 14))
    s.relapse(dt.date(2026, 2, 2), "right optic neuritis")
    s.relapse(dt.date(2026, 8, 10), "paraparesis")
    s.med_history(IFN_B1A, dt.date(2015, 10, 5), dt.date(2019, 3, 4), "30 micrograms IM once weekly", route="im")
    s.med_history(DMF, dt.date(2019, 4, 1), dt.date(2026, 8, 3), "240 mg orally twice daily")
    s.complete_workup(female=True, alc=1.7)
    s.order_course(1)
    request = s.request()
    n = 1 + sum(len(v["entry"]) for k, v in request["prefetch"].items() if k != "patient")
    path = os.path.join(repo, "src", "test", "resources", "bench", "Debora709_Mayer370-ms.order-sign.json")
    with open(path, "w") as f:
        json.dump(request, f, ensure_ascii=False, separators=(",", ":"))
    print(f"wrote the benchmark request: {len(s.resources)} resources in the record, {n} in the prefetch, "
          f"{len(s.drafts)} draft orders, {os.path.getsize(path)} bytes")


def write(path, data):
    with open(path, "w") as f:
        if isinstance(data, str):
            f.write(data)
        else:
            json.dump(data, f, indent=2, ensure_ascii=False)
            f.write("\n")


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fhir-resources", "examples")
    os.makedirs(root, exist_ok=True)
    all_samples = samples()
    manifest = {
        "planningDate": PLANNING_DATE.isoformat(),
        "courseStart": COURSE_START.isoformat(),
        "service": "alemtuzumab-order-sign",
        "profile": "UNION",
        "requests": {},
    }
    for s in all_samples:
        write(os.path.join(root, f"{s.name}.bundle.json"), s.bundle())
        write(os.path.join(root, f"{s.name}.order-sign.json"), s.request())
        manifest["requests"][f"{s.name}.order-sign.json"] = {
            "title": s.title,
            "expected": [{"id": i, "indicator": ind} for i, ind in s.expected],
            "absent": [a for a in s.absent if a not in {i for i, _ in s.expected}],
        }
    write(os.path.join(root, "expected-cards.json"), manifest)
    write(os.path.join(root, "README.md"), readme(all_samples))
    print(f"wrote {len(all_samples)} samples to {os.path.normpath(root)}")
    bench_request(os.path.join(root, "..", ".."))


if __name__ == "__main__":
    main()
