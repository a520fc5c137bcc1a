#!/usr/bin/env python3
"""Writes the patient-view benchmark request from the order-sign one (tools/examples.py writes that one).

usage: tools/bench_patient_view.py

src/test/resources/bench/Debora709_Mayer370-ms.patient-view.json is the same Synthea patient and record as
Debora709_Mayer370-ms.order-sign.json, in the monitoring window: no draft orders; the prefetch's
medicationAdministrations hold a completed first alemtuzumab course (5 daily infusions, 2026-03-02 to 2026-03-06),
shaped like the administrations of tools/examples.py. Written compact and deterministic, like the order-sign request.
"""
import datetime as dt
import json
import os
import uuid

FHIR_BASE = "https://ehr.example.org/fhir"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
TZ = "+01:00"
COURSE_DAYS = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(5)]
LEMTRADA = {"coding": [{"system": RXNORM, "code": "1594659", "display": "alemtuzumab 12 MG in 1.2 ML Injection"}],
            "text": "Lemtrada"}


def main():
    bench = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "bench")
    with open(os.path.join(bench, "Debora709_Mayer370-ms.order-sign.json")) as f:
        order_sign = json.load(f)
    pid = order_sign["context"]["patientId"]
    administrations = []
    for n, d in enumerate(COURSE_DAYS, start=1):
        administrations.append({
            "resourceType": "MedicationAdministration", "id": f"{pid}-medadm-course1-{n}", "status": "completed",
            "medicationCodeableConcept": LEMTRADA, "subject": {"reference": f"Patient/{pid}"},
            "effectiveDateTime": f"{d.isoformat()}T10:15:00{TZ}",
            "dosage": {"route": {"coding": [{"system": SNOMED, "code": "47625008", "display": "Intravenous route"}]},
                       "dose": {"value": 12, "unit": "mg", "system": UCUM, "code": "mg"}}})
    prefetch = dict(order_sign["prefetch"])
    adm = dict(prefetch["medicationAdministrations"])
    adm["total"] = len(administrations)
    adm["entry"] = [{"fullUrl": f"{FHIR_BASE}/MedicationAdministration/{a['id']}", "resource": a,
                     "search": {"mode": "match"}} for a in administrations]
    prefetch["medicationAdministrations"] = adm
    request = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid5(uuid.NAMESPACE_URL, "https://alemcds.org/examples/99-synthea-ms/patient-view")),
        "context": {"userId": order_sign["context"]["userId"], "patientId": pid},
        "prefetch": prefetch,
    }
    path = os.path.join(bench, "Debora709_Mayer370-ms.patient-view.json")
    with open(path, "w") as f:
        json.dump(request, f, ensure_ascii=False, separators=(",", ":"))
    print(f"wrote the patient-view benchmark request: {len(administrations)} administrations, "
          f"{os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
