#!/usr/bin/env python3
"""Writes TokenScripts/flight-ticket.tests/sample-statuses.jsonl: flight-status attestations signed
(EIP-191) with the published demo key 0x11…11 that TokenScripts/flight-ticket.xml trusts as its airline.

The signing bytes are "swift-tokenscript attestation v1\\n" + the canonical JSON of the content
(Sources/TokenScriptAttestation/README.md); the wire form adds "signature". Run with the project's
.venv (eth-account comes with the local Ethereum node's packages): .venv/bin/python scripts/sign-sample-attestations.py
"""
import json
import pathlib

from eth_account import Account
from eth_account.messages import encode_defunct

KEY = "0x" + "11" * 32
account = Account.from_key(KEY)
flight = {"flight": "LH2024", "departure": 1790050000, "gate": "A12"}
statuses = [
    ("lh2024-scheduled", "scheduled", 1790000000, 0),
    ("lh2024-delay-1", "delay", 1790003600, 40),
    ("lh2024-delay-2", "delay", 1790010800, 400),
]


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


lines = []
for identifier, kind, issued_at, delay in statuses:
    content = {
        "id": identifier,
        "topic": "flight-status/LH2024",
        "type": kind,
        "issuer": {"scheme": "eip191", "key": account.address},
        "issuedAt": issued_at,
        "payload": dict(flight, delayMinutes=delay),
    }
    signing = ("swift-tokenscript attestation v1\n" + canonical(content)).encode()
    signature = Account.sign_message(encode_defunct(primitive=signing), KEY).signature
    wire = dict(content, signature="0x" + bytes(signature).hex())
    lines.append(canonical(wire))

out = pathlib.Path(__file__).resolve().parent.parent / "TokenScripts/flight-ticket.tests/sample-statuses.jsonl"
out.write_text("\n".join(lines) + "\n")
print(f"wrote {len(lines)} attestations to {out}")
