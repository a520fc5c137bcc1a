#!/usr/bin/env python3
"""Writes one expanded FHIR R4 ValueSet to fhir-resources/valuesets/<id>.json.

usage: tools/valueset.py <id> "<title>" "<where the codes come from>" SYSTEM|CODE|DISPLAY ...

SYSTEM may be an alias: loinc, snomed, rxnorm, icd10cm, interp (v3-ObservationInterpretation),
name (ingredient/brand/term name matched case-insensitively inside a coding display or text).

A member written vs:<id> includes the value set <id> (a class or union set): it is written as
compose.include.valueSet, and the expansion is the union of the included expansions and the listed codes,
each member once, in order.

Every run also rewrites fhir-resources/codesystems/: one CodeSystem per local system (http://alemcds.org/fhir/
CodeSystem/...: the name terms, the text-evidence triggers, local codes) holding exactly the codes the value sets
use, and the local codes the rules suggest (Common."Order Local Service" in cql/). "tools/valueset.py --codesystems"
rewrites only those.
"""
import json, os, re, sys

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

LOCAL_SYSTEM = "http://alemcds.org/fhir/CodeSystem/"

# What each local code system is (its title and description), by id.
LOCAL_SYSTEMS = {
    "ingredient-name": ("Name terms",
        "Names matched case-insensitively inside a coding display or a CodeableConcept.text: ingredient and brand "
        "names, and the names of findings, tests and procedures that records carry as text. They are not codes of "
        "an external terminology; the value sets list them beside their coded members."),
    "text-evidence-trigger": ("Text evidence triggers",
        "The NegEx-style negation, uncertainty and scope-end triggers read around a name found in free text "
        "(org.alemcds.cql.TextEvidence; value sets text-*)."),
    "local": ("Local codes", "Codes the service defines where no external terminology has one."),
}

RESOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fhir-resources")


# A suggestion of a local code in the rules: Common."Order Local Service"('<label>', '<code>'), the label its display.
ORDER_LOCAL_SERVICE = re.compile(r"""Order Local Service"\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'((?:[^'\\]|\\.)*)'\s*\)""")
CQL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cql")


def local_codes_of_rules():
    """The local codes the CQL suggests ({code: display}); ValueSetCatalogueTest checks the same in the compiled ELM."""
    codes = {}
    for name in sorted(os.listdir(CQL)):
        if name.endswith(".cql"):
            with open(os.path.join(CQL, name)) as f:
                for label, code in ORDER_LOCAL_SERVICE.findall(f.read()):
                    codes.setdefault(code, label)
    return codes


def write_codesystems():
    """One CodeSystem per local system, with exactly the codes the value sets and the rules' suggestions use (sorted,
    each once)."""
    codes = {}
    for code, display in local_codes_of_rules().items():
        codes.setdefault(ALIASES["local"], {})[code] = {"code": code, "display": display}
    folder = os.path.join(RESOURCES, "valuesets")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name)) as f:
            for entry in json.load(f)["expansion"]["contains"]:
                if entry["system"].startswith(LOCAL_SYSTEM):
                    concept = codes.setdefault(entry["system"], {}).setdefault(entry["code"], {"code": entry["code"]})
                    if "display" in entry and entry["display"] != entry["code"]:
                        concept.setdefault("display", entry["display"])
    out = os.path.join(RESOURCES, "codesystems")
    os.makedirs(out, exist_ok=True)
    for url, concepts in sorted(codes.items()):
        cs_id = url[len(LOCAL_SYSTEM):]
        title, description = LOCAL_SYSTEMS.get(cs_id, (cs_id, ""))
        cs = {
            "resourceType": "CodeSystem",
            "id": cs_id,
            "url": url,
            "version": "1.0.0",
            "name": "".join(w.capitalize() for w in cs_id.split("-")),
            "title": title,
            "status": "draft",
            "description": description,
            "caseSensitive": False,
            "content": "complete",
            "count": len(concepts),
            "concept": [concepts[c] for c in sorted(concepts)],
        }
        with open(os.path.join(out, cs_id + ".json"), "w") as f:
            json.dump(cs, f, indent=2, ensure_ascii=False)
            f.write("\n")


def main(argv):
    if argv[1:] == ["--codesystems"]:
        write_codesystems()
        return
    if len(argv) < 5:
        sys.exit(__doc__)
    vs_id, title, provenance, members = argv[1], argv[2], argv[3], argv[4:]
    root = os.path.join(RESOURCES, "valuesets")
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
    write_codesystems()

if __name__ == "__main__":
    main(sys.argv)
