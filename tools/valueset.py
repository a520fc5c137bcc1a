#!/usr/bin/env python3
"""Writes one expanded FHIR R4 ValueSet to fhir-resources/valuesets/<id>.json.

usage: tools/valueset.py <id> "<title>" "<where the codes come from>" SYSTEM|CODE|DISPLAY ...

SYSTEM may be an alias: loinc, snomed, rxnorm, icd10cm, interp (v3-ObservationInterpretation),
name (ingredient/brand/term name matched case-insensitively inside a coding display or text).

A member written vs:<id> includes the value set <id> (a class or union set): it is written as
compose.include.valueSet, and the expansion is the union of the included expansions and the listed codes,
each member once, in order.
"""
import json, os, sys

ALIASES = {
    "loinc": "http://loinc.org",
    "snomed": "http://snomed.info/sct",
    "rxnorm": "http://www.nlm.nih.gov/research/umls/rxnorm",
    "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "interp": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
    "cvx": "http://hl7.org/fhir/sid/cvx",
    "name": "http://alemcds.org/fhir/CodeSystem/ingredient-name",
    "local": "http://alemcds.org/fhir/CodeSystem/local",
}

def main(argv):
    if len(argv) < 5:
        sys.exit(__doc__)
    vs_id, title, provenance, members = argv[1], argv[2], argv[3], argv[4:]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fhir-resources", "valuesets")
    contains, includes, seen = [], [], set()

    def add(entry):
        if (entry["system"], entry["code"]) not in seen:
            seen.add((entry["system"], entry["code"]))
            contains.append(entry)

    for m in members:
        if m.startswith("vs:"):
            with open(os.path.join(root, m[3:] + ".json")) as f:
                included = json.load(f)
            includes.append({"valueSet": [included["url"]]})
            for entry in included["expansion"]["contains"]:
                add(entry)
            continue
        system, code, *display = m.split("|", 2)
        entry = {"system": ALIASES.get(system, system), "code": code}
        if display and display[0]:
            entry["display"] = display[0]
        add(entry)
        if includes:
            concepts = [i for i in includes if i.get("system") == entry["system"]]
            if not concepts:
                concepts = [{"system": entry["system"], "concept": []}]
                includes.append(concepts[0])
            concepts[0]["concept"].append({k: v for k, v in entry.items() if k != "system"})
    vs = {
        "resourceType": "ValueSet",
        "id": vs_id,
        "url": f"http://alemcds.org/fhir/ValueSet/{vs_id}",
        "version": "1.0.0",
        "name": "".join(w.capitalize() for w in vs_id.split("-")),
        "title": title,
        "status": "draft",
        "description": provenance,
        "expansion": {"timestamp": "2026-11-21T00:00:00Z", "total": len(contains), "contains": contains},
    }
    if includes:
        vs["compose"] = {"include": includes}
    with open(os.path.join(root, vs_id + ".json"), "w") as f:
        json.dump(vs, f, indent=2, ensure_ascii=False)
        f.write("\n")

if __name__ == "__main__":
    main(sys.argv)
