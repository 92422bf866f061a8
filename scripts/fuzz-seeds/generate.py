#!/usr/bin/env python3
"""Writes the seed corpora under Fixtures/fuzz/<target>/ from the project's real inputs.

Seeds are small and real: attestation lines from TokenScripts/ and Fixtures/attestation-vectors, ABI vectors,
documents from TokenScripts/ and Fixtures/, a journal in the engine's format. Crash inputs live beside them in
Fixtures/fuzz/<target>/regressions/ and are never touched here. Re-run after a format change:
    python3 scripts/fuzz-seeds/generate.py
"""
import json, pathlib, re, shutil

root = pathlib.Path(__file__).resolve().parents[2]
out = root / "Fixtures" / "fuzz"


def write(target, name, data):
    directory = out / target
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def reset(target):
    for path in (out / target).glob("*"):
        if path.is_file():
            path.unlink()


targets = ["json", "attestation", "journal", "filter", "duration", "generalized-time", "abi-type", "abi-decode", "document"]
for target in targets:
    reset(target)

statuses = (root / "TokenScripts/flight-ticket.tests/sample-statuses.jsonl").read_text().splitlines()
vectors = json.loads((root / "Fixtures/attestation-vectors/vectors.json").read_text())
abi = json.loads((root / "Fixtures/abi-vectors/abi-vectors.json").read_text())

# attestation: wire lines, eip191 from the flight ticket's samples and every scheme from the vectors.
for index, line in enumerate(statuses[:3]):
    write("attestation", f"sample-status-{index}.jsonl", line)
seen = set()
for case in vectors["cases"]:
    wire = case.get("wire")
    scheme = json.loads(wire).get("issuer", {}).get("scheme") if wire and wire.startswith("{") else None
    if wire and scheme not in seen:
        seen.add(scheme)
        write("attestation", "vector-" + re.sub(r"[^a-z0-9]+", "-", case["name"].lower()).strip("-") + ".jsonl", wire)

# json: values of every kind, a JSON ABI from a document, an attestation line, the trust list.
write("json", "scalars.json", '[0,-1,1.5,-2.25e-7,1e308,9223372036854775807,-9223372036854775808,true,false,null,"a\\u00e9\\ud83d\\ude00"]')
write("json", "nested.json", '{"a":{"b":[{"c":{}},[]]},"e\\u0301":"nfd","\\u00e9":"nfc"}')
write("json", "attestation.json", statuses[0])
write("json", "trust.json", json.dumps(vectors["trust"]))
document = (root / "TokenScripts/membership-2024.xml").read_text()
match = re.search(r"<ts:abi[^>]*>(.*?)</ts:abi>", document, re.S)
if match:
    write("json", "membership-abi.json", re.sub(r"<!\[CDATA\[|\]\]>", "", match.group(1)).strip())

# journal: a header and entries in the engine's line format (the reader checks shape, not hashes).
header = {"definition": "a" * 64, "initialStateHash": "b" * 64, "instance": "ticket-1", "journal": "swift-tokenscript-journal/1"}
entries = []
for sequence, line in enumerate(statuses[:2], start=1):
    entries.append({"attestation": line, "effects": [], "events": [{"type": "delayed", "data": {"minutes": 40}}],
                    "instance": {"state": "delayed", "attributes": {}}, "outcome": "applied", "receivedAt": 1790003600 + sequence,
                    "sequence": sequence, "stateHash": f"{sequence:064x}", "trigger": "delay"})
entries.append({"attestation": statuses[2], "effects": [{"name": "notify", "input": {"x": 1}}], "events": [],
                "instance": {"state": "delayed"}, "message": "no transition", "outcome": "ignored", "reason": "unmatched",
                "receivedAt": 1790007300, "sequence": 3, "stateHash": "c" * 64})
canonical = lambda value: json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
write("journal", "three-entries.jsonl", "".join(canonical(v) + "\n" for v in [header] + entries))
write("journal", "header-only.jsonl", canonical(header) + "\n")
# The engine's golden and hostile journals, where the checkout has them (signed, hash-chained journals).
for path in sorted((root / "Fixtures/golden").glob("*journal*.jsonl")) + sorted((root / "Fixtures/hostile-journal").glob("*.jsonl"))[:6]:
    shutil.copyfile(path, out / "journal" / (path.parent.name + "-" + path.name))

# filter: every filter written in the project's documents.
filters = set()
for path in list((root / "TokenScripts").glob("*.xml")) + list((root / "Fixtures").rglob("*.xml")):
    for found in re.findall(r'filter="([^"]*)"', path.read_text(errors="replace")):
        filters.add(found.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&").replace("&quot;", '"'))
filters |= {"(&(a=1)(|(b~=x)(c>=2))(!(d<=3)))", "name=a\\2a\\28b\\29*c*", "(seat=*)"}
for index, text in enumerate(sorted(filters)[:24]):
    write("filter", f"filter-{index:02}.txt", text)

# duration: forms used by effects, retries and schedules.
for index, text in enumerate(["PT10S", "PT1H30M", "P1DT12H", "PT0.5S", "P3D", "PT2S", "PT12H", "2026-11-22T10:00:00Z"]):
    write("duration", f"duration-{index}.txt", text)

# generalized-time: text and integer forms.
for index, text in enumerate(["20261122100000Z", "20240229235959+0130", "199912312359-0800", "2024010112", "1790050000", "-62135596800"]):
    write("generalized-time", f"time-{index}.txt", text)

# abi-type and abi-decode: the ABI vectors' types, and their encodings after a newline.
types = []
for case in abi["cases"]:
    for type_text in case.get("types", []):
        if type_text not in types:
            types.append(type_text)
for index, type_text in enumerate(types[:40]):
    write("abi-type", f"type-{index:02}.txt", type_text)
written = 0
for case in abi["cases"]:
    encoded = case.get("encoded")
    if not encoded or not case.get("types"):
        continue
    type_line = "(" + ",".join(case["types"]) + ")"
    write("abi-decode", f"case-{written:02}.bin", type_line.encode() + b"\n" + bytes.fromhex(encoded[2:]))
    written += 1
    if written == 30:
        break

# document: the project's documents, the server fixtures, and a few small hostile ones.
(out / "document").mkdir(parents=True, exist_ok=True)
for path in sorted((root / "TokenScripts").glob("*.xml")) + [root / "Fixtures/engine/counter.xml", root / "Fixtures/server/minimal.xml"]:
    shutil.copyfile(path, out / "document" / path.name)
for name in ["billion-laughs.xml", "xxe-local-file.xml", "invalid-utf8.xml", "include-escape.xml", "mismatched-tag.xml"]:
    shutil.copyfile(root / "Fixtures/hostile-xml" / name, out / "document" / ("hostile-" + name))
print("seeds written under", out)
