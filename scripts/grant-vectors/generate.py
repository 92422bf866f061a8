#!/usr/bin/env python3
"""Writes Fixtures/grant-vectors/vectors.json: one read grant signed by independent code under each scheme.

Why: the Swift read-grant code (Sources/TokenScriptAttestation, ReadGrant*) computes the canonical bytes, the
EIP-191 message and the EIP-712 `ReadGrant` digest (with its `string[]` member) itself, so its signatures are
checked against grants signed by eth-account (EIP-191, EIP-712 from the full typed-data JSON, as a wallet gets
it) and pycryptodome (Ed25519). Tests read only the committed JSON.

Pinned versions (as scripts/attestation-vectors/generate.py): eth-account==0.14.0 pycryptodome==3.24.1.
Regenerate:
    python3 -m venv /tmp/attvenv
    /tmp/attvenv/bin/pip install "eth-account==0.14.0" "pycryptodome==3.24.1"
    /tmp/attvenv/bin/python scripts/grant-vectors/generate.py

Keys are fixed (Ed25519 seed 0x31 x 32, secp256k1 key 0x32 x 32, as TestKeys in the tests), ECDSA uses RFC 6979
and Ed25519 is deterministic, so the output is byte-for-byte reproducible.
"""

import json
import pathlib

from Crypto.PublicKey import ECC
from Crypto.Signature import eddsa
from eth_account import Account
from eth_account.messages import encode_defunct, encode_typed_data

PREFIX = b"swift-tokenscript read grant v1\n"
ED25519_SEED = bytes([0x31] * 32)
ETHEREUM_KEY = bytes([0x32] * 32)
GRANT = {
    "grantee": "car-rental.example",
    "instance": "ticket-LH2024-12A",
    "interfaces": ["flightStatus", "seatMap"],
    "issuedAt": 1790000000,
    "expiresAt": 1790086400,
}


def canonical(value) -> str:
    """RFC 8785 for the integer-only subset: keys by UTF-16 code units, no whitespace, raw UTF-8."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(canonical(k) + ":" + canonical(value[k]) for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, int):
        assert 0 <= value <= 2**53 - 1
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(value)


def typed_data(grant: dict) -> dict:
    return {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}],
            "ReadGrant": [
                {"name": "grantee", "type": "string"},
                {"name": "instance", "type": "string"},
                {"name": "interfaces", "type": "string[]"},
                {"name": "issuedAt", "type": "uint64"},
                {"name": "expiresAt", "type": "uint64"},
            ],
        },
        "primaryType": "ReadGrant",
        "domain": {"name": "swift-tokenscript", "version": "1"},
        "message": {k: grant[k] for k in ["grantee", "instance", "interfaces", "issuedAt", "expiresAt"]},
    }


def signed(scheme: str) -> dict:
    grant = dict(GRANT)
    if scheme == "ed25519":
        key = eddsa.import_private_key(ED25519_SEED)
        public = key.public_key().export_key(format="raw")
        grant["holder"] = {"scheme": "ed25519", "key": "0x" + public.hex()}
        signature = eddsa.new(key, "rfc8032").sign(PREFIX + canonical(grant).encode())
    else:
        account = Account.from_key(ETHEREUM_KEY)
        grant["holder"] = {"scheme": scheme, "key": account.address}
        if scheme == "eip191":
            message = encode_defunct(primitive=PREFIX + canonical(grant).encode())
        else:
            message = encode_typed_data(full_message=typed_data(grant))
        signature = bytes(Account.sign_message(message, ETHEREUM_KEY).signature)
    grant["signature"] = "0x" + signature.hex()
    return grant


def main() -> None:
    vectors = [{"scheme": scheme, "json": canonical(signed(scheme))} for scheme in ["ed25519", "eip191", "eip712"]]
    out = pathlib.Path(__file__).resolve().parents[2] / "Fixtures" / "grant-vectors" / "vectors.json"
    out.write_text(json.dumps({"vectors": vectors}, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
