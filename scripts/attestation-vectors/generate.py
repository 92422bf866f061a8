#!/usr/bin/env python3
"""Writes Fixtures/attestation-vectors/vectors.json: signed attestations and tampered twins.

Why: the Swift attestation code (Sources/TokenScriptAttestation) computes canonical bytes, EIP-191,
EIP-712 and EAS digests and recovers signers itself, so its results are checked against attestations
signed by independent code: eth-account (ECDSA, EIP-191, EIP-712) and pycryptodome (Ed25519). The
canonical JSON is written here independently too (see canonical()). Tests read only the committed JSON.

Pinned versions used to generate the committed file (Python 3.11.7):
    eth-account==0.14.0  eth-keys==0.8.0  eth-utils==6.0.0  eth-abi==6.0.0  pycryptodome==3.24.1

Regenerate (the venv lives in /tmp, never in the repository):
    python3 -m venv /tmp/attvenv
    /tmp/attvenv/bin/pip install "eth-account==0.14.0" "eth-keys==0.8.0" "pycryptodome==3.24.1"
    /tmp/attvenv/bin/python scripts/attestation-vectors/generate.py

Every key is fixed, so the output is byte-for-byte reproducible (ECDSA uses RFC 6979, Ed25519 is
deterministic). See Sources/TokenScriptAttestation/README.md for the encodings reproduced here.
"""

import copy
import importlib.metadata
import json
import pathlib

import eth_abi
from Crypto.PublicKey import ECC
from Crypto.Signature import eddsa
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data
from eth_utils import keccak, to_checksum_address

OUT = pathlib.Path(__file__).resolve().parents[2] / "Fixtures" / "attestation-vectors" / "vectors.json"
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141  # secp256k1 group order

PREFIX = b"swift-tokenscript attestation v1\n"
AIRLINE_KEY = bytes.fromhex("11" * 32)
OTHER_KEY = bytes.fromhex("22" * 32)
PARTICIPANT_SEED = bytes(range(32))
ISSUED_AT = 1795305600  # 2026-11-22T00:00:00Z
NOW = ISSUED_AT + 600
EAS_CONTRACT = "0xC2679fBD37d54388Ce493F1DB75320D236e1815e"
EAS_SCHEMA_TEXT = "string topic,string type,string payload"
# The EAS schema UID: keccak256(abi.encodePacked(schema, resolver, revocable)), no resolver.
EAS_SCHEMA = "0x" + keccak(EAS_SCHEMA_TEXT.encode() + bytes(20) + b"\x01").hex()


def canonical(value) -> str:
    """RFC 8785 for the integer-only subset: keys by UTF-16 code units, no whitespace, raw UTF-8."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(canonical(k) + ":" + canonical(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        assert abs(value) <= 2**53 - 1
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(value)


def content(att: dict) -> dict:
    return {k: v for k, v in att.items() if k != "signature"}


def signing_bytes(att: dict) -> bytes:
    return PREFIX + canonical(content(att)).encode()


def claim(id_: str, scheme: str, key: str) -> dict:
    return {
        "id": id_,
        "topic": "flight-status/LH400/2026-11-22",
        "type": "delay",
        "issuer": {"scheme": scheme, "key": key},
        "issuedAt": ISSUED_AT,
        "expiresAt": ISSUED_AT + 86400,
        "payload": {
            "flight": "LH400",
            "delayMinutes": 90,
            "reason": "Gewitter über Frankfurt \"FRA\"\n",
            "gate": None,
            "legs": [1, -2, 9007199254740991],
            "onTime": False,
            "\uff5e": "fullwidth tilde", "\U0001F600": "emoji", "Z": 1, "a": 2,
        },
    }


def typed_data(att: dict) -> dict:
    return {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}],
            "Attestation": [
                {"name": "id", "type": "string"}, {"name": "topic", "type": "string"},
                {"name": "type", "type": "string"}, {"name": "issuedAt", "type": "uint64"},
                {"name": "expiresAt", "type": "uint64"}, {"name": "payload", "type": "string"},
            ],
        },
        "primaryType": "Attestation",
        "domain": {"name": "swift-tokenscript", "version": "1"},
        "message": {
            "id": att["id"], "topic": att["topic"], "type": att["type"], "issuedAt": att["issuedAt"],
            "expiresAt": att.get("expiresAt", 0), "payload": canonical(att["payload"]),
        },
    }


def eas_data(att: dict) -> bytes:
    return eth_abi.encode(["string", "string", "string"], [att["topic"], att["type"], canonical(att["payload"])])


def eas_uid(att: dict) -> str:
    """eas-sdk getOffchainUID (versions 1 and 2): packed fields, schema as the UTF-8 of its hex text."""
    e = att["eas"]
    packed = e["version"].to_bytes(2, "big") + e["schema"].encode()
    packed += bytes.fromhex(e["recipient"][2:]) + bytes(20)
    packed += att["issuedAt"].to_bytes(8, "big") + att.get("expiresAt", 0).to_bytes(8, "big")
    packed += b"\x01" if e["revocable"] else b"\x00"
    packed += bytes.fromhex(e["refUID"][2:]) + eas_data(att)
    if e["version"] >= 2:
        packed += bytes.fromhex(e["salt"][2:])
    packed += bytes(4)
    return "0x" + keccak(packed).hex()


def eas_typed_data(att: dict) -> dict:
    e = att["eas"]
    fields = [
        {"name": "version", "type": "uint16"}, {"name": "schema", "type": "bytes32"},
        {"name": "recipient", "type": "address"}, {"name": "time", "type": "uint64"},
        {"name": "expirationTime", "type": "uint64"}, {"name": "revocable", "type": "bool"},
        {"name": "refUID", "type": "bytes32"}, {"name": "data", "type": "bytes"},
    ]
    message = {
        "version": e["version"], "schema": bytes.fromhex(e["schema"][2:]), "recipient": e["recipient"],
        "time": att["issuedAt"], "expirationTime": att.get("expiresAt", 0), "revocable": e["revocable"],
        "refUID": bytes.fromhex(e["refUID"][2:]), "data": eas_data(att),
    }
    if e["version"] >= 2:
        fields.append({"name": "salt", "type": "bytes32"})
        message["salt"] = bytes.fromhex(e["salt"][2:])
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"},
            ],
            "Attest": fields,
        },
        "primaryType": "Attest",
        "domain": {"name": "EAS Attestation", "version": e["domainVersion"], "chainId": e["chainId"],
                   "verifyingContract": e["verifyingContract"]},
        "message": message,
    }


def signable(att: dict):
    scheme = att["issuer"]["scheme"]
    if scheme == "eip191":
        return encode_defunct(primitive=signing_bytes(att))
    if scheme == "eip712":
        return encode_typed_data(full_message=typed_data(att))
    if scheme == "eas":
        return encode_typed_data(full_message=eas_typed_data(att))
    raise ValueError(scheme)


def ecdsa_sign(att: dict, key: bytes) -> dict:
    """Signs in place with eth-account; returns the digest it signed."""
    signed = Account.sign_message(signable(att), key)
    att["signature"] = "0x" + bytes(signed.signature).hex()
    return "0x" + bytes(signed.message_hash).hex()


def high_s(signature_hex: str) -> str:
    """The malleable twin: s' = n - s, v flipped; it recovers the same signer."""
    raw = bytes.fromhex(signature_hex[2:])
    r, s, v = raw[:32], int.from_bytes(raw[32:64], "big"), raw[64]
    return "0x" + (r + (N - s).to_bytes(32, "big") + bytes([55 - v])).hex()


def case(name, att, expected, digest=None, **extra):
    entry = {"name": name, "wire": json.dumps(att, ensure_ascii=False), "expected": expected}
    entry["signingBytes"] = "0x" + signing_bytes(att).hex()
    if digest:
        entry["digest"] = digest
    entry.update(extra)
    return entry


def main():
    airline = Account.from_key(AIRLINE_KEY).address
    other = Account.from_key(OTHER_KEY).address
    ed_key = eddsa.import_private_key(PARTICIPANT_SEED)
    ed_public = "0x" + ed_key.public_key().export_key(format="raw").hex()
    cases = []

    # Ed25519 (pycryptodome, RFC 8032 pure Ed25519) over the canonical signing bytes.
    att = claim("participant-1/delay/1", "ed25519", ed_public)
    att["signature"] = "0x" + eddsa.new(ed_key, "rfc8032").sign(signing_bytes(att)).hex()
    cases.append(case("ed25519 valid", att, {"result": "accepted"}))
    bad = copy.deepcopy(att)
    bad["payload"]["delayMinutes"] = 15
    cases.append(case("ed25519 altered payload", bad, {"reason": "bad-signature"}))

    # EIP-191 and EIP-712 by the airline, each with its tampered twins.
    for scheme in ("eip191", "eip712"):
        att = claim(f"lh-ops/{scheme}/1", scheme, airline)
        digest = ecdsa_sign(att, AIRLINE_KEY)
        cases.append(case(f"{scheme} valid", att, {"result": "accepted"}, digest))
        bad = copy.deepcopy(att)
        bad["payload"]["delayMinutes"] = 15
        cases.append(case(f"{scheme} altered payload", bad, {"reason": "wrong-signer"}))
        bad = copy.deepcopy(att)
        bad["issuer"]["key"] = airline
        ecdsa_sign(bad, OTHER_KEY)
        cases.append(case(f"{scheme} wrong key", bad, {"reason": "wrong-signer", "recovered": other}))
        bad = copy.deepcopy(att)
        bad["signature"] = high_s(att["signature"])
        cases.append(case(f"{scheme} high-s twin", bad, {"reason": "high-s"}))
        bad = copy.deepcopy(att)  # the same signature with v as 0/1 instead of 27/28
        v = int(att["signature"][-2:], 16)
        bad["signature"] = att["signature"][:-2] + ("%02x" % (v - 27))
        cases.append(case(f"{scheme} v as 0/1", bad, {"result": "accepted"}, digest))

    # EAS off-chain attestations, versions 2 and 1, carrying the claim in `data`.
    for version in (2, 1):
        att = claim("", "eas", airline)
        att["eas"] = {
            "version": version, "domainVersion": "1.3.0" if version == 2 else "1.0.1", "chainId": 11155111,
            "verifyingContract": EAS_CONTRACT, "schema": EAS_SCHEMA,
            "recipient": to_checksum_address("0x" + "ab" * 20), "revocable": True, "refUID": "0x" + "00" * 32,
        }
        if version == 2:
            att["eas"]["salt"] = "0x" + keccak(b"swift-tokenscript eas salt").hex()
        att["id"] = eas_uid(att)
        digest = ecdsa_sign(att, AIRLINE_KEY)
        cases.append(case(f"eas v{version} valid", att, {"result": "accepted"}, digest, uid=att["id"]))
        bad = copy.deepcopy(att)
        bad["payload"]["delayMinutes"] = 15
        cases.append(case(f"eas v{version} altered payload", bad, {"reason": "malformed", "field": "id"}))
        bad["id"] = eas_uid(bad)
        cases.append(case(f"eas v{version} altered payload, UID recomputed", bad, {"reason": "wrong-signer"}))
        bad = copy.deepcopy(att)
        ecdsa_sign(bad, OTHER_KEY)
        cases.append(case(f"eas v{version} wrong key", bad, {"reason": "wrong-signer", "recovered": other}))
        bad = copy.deepcopy(att)
        bad["signature"] = high_s(att["signature"])
        cases.append(case(f"eas v{version} high-s twin", bad, {"reason": "high-s"}))

    versions = {p: importlib.metadata.version(p) for p in ("eth-account", "eth-keys", "eth-utils", "eth-abi",
                                                           "pycryptodome")}
    document = {
        "about": "Generated by scripts/attestation-vectors/generate.py; do not edit by hand.",
        "generator": versions,
        "now": NOW,
        "keys": {
            "airline": {"privateKey": "0x" + AIRLINE_KEY.hex(), "address": airline},
            "other": {"privateKey": "0x" + OTHER_KEY.hex(), "address": other},
            "participant": {"seed": "0x" + PARTICIPANT_SEED.hex(), "publicKey": ed_public},
        },
        "trust": [
            {"scheme": s, "key": ed_public if s == "ed25519" else airline, "topics": ["flight-status/LH400/*"]}
            for s in ("ed25519", "eip191", "eip712", "eas")
        ],
        "easSchema": {"definition": EAS_SCHEMA_TEXT, "uid": EAS_SCHEMA},
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
