#!/usr/bin/env python3
"""Writes the Keccak-256 and ABI test vectors under Fixtures/abi-vectors/.

Why: the Swift Keccak and ABI codec (Sources/TokenScriptEthereum) are our own code, so they are checked
against independent implementations: pycryptodome's Keccak (digest_bits=256, the original 0x01 padding,
not SHA3) and eth-abi's encoder and *strict* decoder. Tests read only the committed JSON; Python is
needed only to regenerate it.

Pinned versions used to generate the committed files (Python 3.11.7):
    eth-abi==6.0.0  eth-utils==6.0.0  eth-hash==0.8.0  pycryptodome==4.4.0

Regenerate (the venv lives in /tmp, never in the repository):
    python3 -m venv /tmp/ethabi-venv
    /tmp/ethabi-venv/bin/pip install "eth-abi==6.0.0" "eth-utils==6.0.0" "pycryptodome==4.4.0"
    /tmp/ethabi-venv/bin/python scripts/abi-vectors/generate.py

JSON value forms (type-directed, so they round-trip without loss):
    uintN/intN -> decimal string; bool -> true/false; address -> EIP-55 string;
    bytesN/bytes -> "0x" hex; string -> string; arrays and tuples -> JSON arrays.
"""

import importlib.metadata
import json
import pathlib

import eth_abi
import eth_utils
from Crypto.Hash import keccak
from eth_abi.grammar import TupleType, parse

OUT = pathlib.Path(__file__).resolve().parents[2] / "Fixtures" / "abi-vectors"


def keccak256(data: bytes) -> str:
    return keccak.new(digest_bits=256, data=data).hexdigest()


def ramp(length: int) -> bytes:
    """A deterministic message whose bytes differ from lane to lane (i mod 251, a prime)."""
    return bytes(i % 251 for i in range(length))


def keccak_vectors() -> dict:
    named = {
        "": b"",
        "abc": b"abc",
        # The 448- and 896-bit messages of the NIST/Keccak-team test suites.
        "448-bit": b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "896-bit": b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "fox": b"The quick brown fox jumps over the lazy dog",
        "fox.": b"The quick brown fox jumps over the lazy dog.",
    }
    assert keccak256(b"") == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    signatures = [
        "transfer(address,uint256)",
        "balanceOf(address)",
        "ownerOf(uint256)",
        "supportsInterface(bytes4)",
        "getAttestation(bytes32)",
        "Error(string)",
        "Panic(uint256)",
        "Transfer(address,address,uint256)",
        "Approval(address,address,uint256)",
        "Note(uint256,address,string)",
    ]
    return {
        "named": [{"name": k, "utf8": v.decode(), "digest": keccak256(v)} for k, v in named.items()],
        "millionA": keccak256(b"a" * 1_000_000),
        "ramp": [{"length": n, "digest": keccak256(ramp(n))} for n in range(0, 301)],
        "signatures": [
            {
                "signature": s,
                "hash": keccak256(s.encode()),
                "selector": eth_utils.function_signature_to_4byte_selector(s).hex(),
            }
            for s in signatures
        ],
    }


# --- ABI values: JSON form <-> eth-abi's Python form -----------------------------------------------


def to_python(abi_type, value):
    if isinstance(abi_type, TupleType) or abi_type.arrlist:
        if abi_type.arrlist:
            item = abi_type.item_type
            return [to_python(item, v) for v in value]
        return tuple(to_python(c, v) for c, v in zip(abi_type.components, value))
    base = abi_type.base
    if base in ("uint", "int"):
        return int(value)
    if base == "bytes":
        return bytes.fromhex(value[2:])
    return value  # bool, address (checksummed str), string


def to_json(abi_type, value):
    if isinstance(abi_type, TupleType) or abi_type.arrlist:
        if abi_type.arrlist:
            return [to_json(abi_type.item_type, v) for v in value]
        return [to_json(c, v) for c, v in zip(abi_type.components, value)]
    base = abi_type.base
    if base in ("uint", "int"):
        return str(value)
    if base == "bytes":
        return "0x" + value.hex()
    if base == "address":
        return eth_utils.to_checksum_address(value)
    return value


A1 = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"
A2 = "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"
MAX256 = str(2**256 - 1)

# (name, types, values in JSON form)
CASES = [
    ("uint8 zero", ["uint8"], ["0"]),
    ("uint8 max", ["uint8"], ["255"]),
    ("uint16 max", ["uint16"], ["65535"]),
    ("uint32", ["uint32"], ["3735928559"]),
    ("uint64 max", ["uint64"], [str(2**64 - 1)]),
    ("uint128 max", ["uint128"], [str(2**128 - 1)]),
    ("uint256 zero", ["uint256"], ["0"]),
    ("uint256 one", ["uint256"], ["1"]),
    ("uint256 max", ["uint256"], [MAX256]),
    ("uint alias", ["uint"], ["42"]),
    ("int8 min", ["int8"], ["-128"]),
    ("int8 max", ["int8"], ["127"]),
    ("int8 minus one", ["int8"], ["-1"]),
    ("int24", ["int24"], ["-8388608"]),
    ("int64 min", ["int64"], [str(-(2**63))]),
    ("int256 min", ["int256"], [str(-(2**255))]),
    ("int256 max", ["int256"], [str(2**255 - 1)]),
    ("int256 minus one", ["int256"], ["-1"]),
    ("int alias", ["int"], ["-42"]),
    ("address", ["address"], [A1]),
    ("zero address", ["address"], ["0x0000000000000000000000000000000000000000"]),
    ("bool true", ["bool"], [True]),
    ("bool false", ["bool"], [False]),
    ("bytes1", ["bytes1"], ["0xab"]),
    ("bytes4 interface id", ["bytes4"], ["0x80ac58cd"]),
    ("bytes32", ["bytes32"], ["0x" + "11" * 31 + "ff"]),
    ("bytes empty", ["bytes"], ["0x"]),
    ("bytes one", ["bytes"], ["0xca"]),
    ("bytes 31", ["bytes"], ["0x" + "01" * 31]),
    ("bytes 32", ["bytes"], ["0x" + "02" * 32]),
    ("bytes 33", ["bytes"], ["0x" + "03" * 33]),
    ("bytes 70", ["bytes"], ["0x" + ramp(70).hex()]),
    ("string empty", ["string"], [""]),
    ("string ascii", ["string"], ["Test NFT"]),
    ("string unicode", ["string"], ["héllo wörld — 日本語 🎉"]),
    ("string 32", ["string"], ["a" * 32]),
    ("string 33", ["string"], ["b" * 33]),
    ("uint256[] empty", ["uint256[]"], [[]]),
    ("uint256[]", ["uint256[]"], [["1", "2", "3"]]),
    ("uint8[2]", ["uint8[2]"], [["1", "255"]]),
    ("bool[3]", ["bool[3]"], [[True, False, True]]),
    ("address[]", ["address[]"], [[A1, A2]]),
    ("bytes32[]", ["bytes32[]"], [["0x" + "aa" * 32, "0x" + "bb" * 32]]),
    ("int256[2][]", ["int256[2][]"], [[["-1", "1"], ["-2", "2"]]]),
    ("string[]", ["string[]"], [["one", "two", "three"]]),
    ("string[] with empty", ["string[]"], [["", "x", ""]]),
    ("string[2]", ["string[2]"], [["left", "right"]]),
    ("bytes[]", ["bytes[]"], [["0x", "0x01", "0x" + "ff" * 40]]),
    ("uint256[][]", ["uint256[][]"], [[["1", "2"], [], ["3"]]]),
    ("uint8[2][]", ["uint8[2][]"], [[["1", "2"], ["3", "4"]]]),
    ("uint8[][2]", ["uint8[][2]"], [[["1"], ["2", "3"]]]),
    ("string[][]", ["string[][]"], [[["a", "b"], ["c"]]]),
    ("static tuple", ["(uint256,bool)"], [["7", True]]),
    ("nested static tuple", ["(uint256,(uint8,uint16))"], [["1", ["2", "3"]]]),
    ("dynamic tuple", ["(uint256,string)"], [["5", "five"]]),
    ("tuple of bool and static tuple", ["(bool,(address,bytes4))"], [[True, [A2, "0x12345678"]]]),
    ("(string,bytes)[]", ["(string,bytes)[]"], [[["a", "0x01"], ["bb", "0x0202"]]]),
    ("(uint256,(string,uint8[])[])", ["(uint256,(string,uint8[])[])"], [["9", [["x", ["1", "2"]], ["y", []]]]]),
    ("(uint256[],string)[2]", ["(uint256[],string)[2]"], [[[["1"], "p"], [[], "q"]]]),
    ("(uint8,uint8)[2]", ["(uint8,uint8)[2]"], [[["1", "2"], ["3", "4"]]]),
    (
        "EAS attestation",
        ["(bytes32,bytes32,uint64,uint64,uint64,bytes32,address,address,bool,bytes)"],
        [[
            "0x" + "01" * 32, "0x" + "02" * 32, "1700000000", "0", "0", "0x" + "00" * 32,
            A1, A2, True, "0x" + ramp(40).hex(),
        ]],
    ),
    ("several arguments", ["uint256", "string", "bool", "bytes"], ["1", "two", True, "0x0304"]),
    ("address and uint256 (transfer)", ["address", "uint256"], [A2, "1000000000000000000"]),
    (
        "Solidity docs f(uint256,uint32[],bytes10,bytes)",
        ["uint256", "uint32[]", "bytes10", "bytes"],
        ["291", ["1110", "1929"], "0x" + b"1234567890".hex(), "0x" + b"Hello, world!".hex()],
    ),
    (
        "Solidity docs g(uint256[][],string[])",
        ["uint256[][]", "string[]"],
        [[["1", "2"], ["3"]], ["one", "two", "three"]],
    ),
    ("no arguments", [], []),
]


def abi_cases() -> list:
    out = []
    for name, types, values in CASES:
        parsed = [parse(t) for t in types]
        py = [to_python(t, v) for t, v in zip(parsed, values)]
        encoded = eth_abi.encode(types, py)
        decoded = eth_abi.decode(types, encoded)
        back = [to_json(t, v) for t, v in zip(parsed, decoded)]
        assert back == values, (name, back, values)
        out.append({"name": name, "types": types, "values": values, "encoded": "0x" + encoded.hex()})
    return out


# --- Malformed encodings: each must be rejected by eth-abi's strict decoder -----------------------


def word(value: int) -> bytes:
    return (value % 2**256).to_bytes(32, "big")


def enc(types, values):
    return eth_abi.encode(types, [to_python(parse(t), v) for t, v in zip(types, values)])


def malformed_cases() -> list:
    string_hi = enc(["string"], ["hi"])
    cases = [
        ("empty data for uint256", ["uint256"], b""),
        ("31 bytes for uint256", ["uint256"], b"\x00" * 31),
        ("second argument missing", ["uint256", "uint256"], word(1)),
        ("uint8 with a high byte set", ["uint8"], word(256)),
        ("uint32 above range", ["uint32"], word(2**32)),
        ("int8 not sign-extended (128)", ["int8"], word(128)),
        ("int8 not sign-extended (-129)", ["int8"], word(-129)),
        ("address with non-zero high bytes", ["address"], b"\x01" + b"\x00" * 11 + b"\x22" * 20),
        ("bool 2", ["bool"], word(2)),
        ("bool with padding", ["bool"], word(2**8 + 1)),
        ("bytes4 with non-zero padding", ["bytes4"], b"\x12\x34\x56\x78" + b"\x00" * 27 + b"\x01"),
        ("bytes1 with non-zero padding", ["bytes1"], b"\xab\x01" + b"\x00" * 30),
        ("string offset past the end", ["string"], word(96) + word(2) + b"hi".ljust(32, b"\x00")),
        ("string offset into the head", ["string"], word(0) + word(2) + b"hi".ljust(32, b"\x00")),
        ("string offset to the contents", ["string"], word(64) + word(2) + b"hi".ljust(32, b"\x00")),
        ("string offset huge", ["string"], word(2**255) + string_hi[32:]),
        ("string length past the end", ["string"], word(32) + word(100) + b"hi".ljust(32, b"\x00")),
        ("string without padding", ["string"], word(32) + word(2) + b"hi"),
        ("string with non-zero padding", ["string"], word(32) + word(2) + b"hi" + b"\x00" * 29 + b"\x01"),
        ("string not UTF-8", ["string"], word(32) + word(2) + b"\xff\xfe".ljust(32, b"\x00")),
        ("bytes length 2^64", ["bytes"], word(32) + word(2**64) + b"\x00" * 32),
        ("bytes truncated contents", ["bytes"], word(32) + word(40) + b"\x01" * 32),
        ("bytes missing length", ["bytes"], word(32)),
        ("uint256[] length exceeds data", ["uint256[]"], word(32) + word(3) + word(1) + word(2)),
        ("uint256[] length 2^255", ["uint256[]"], word(32) + word(2**255) + word(1)),
        ("uint256[2] truncated", ["uint256[2]"], word(1)),
        ("string[] element offset past the end", ["string[]"], word(32) + word(1) + word(0x1000)),
        ("string[] element offset into its head", ["string[]"], word(32) + word(1) + word(0) + word(2) + b"hi".ljust(32, b"\x00")),
        ("(uint256,string) bad string offset", ["(uint256,string)"], word(32) + word(7) + word(0x400)),
        ("uint8[] element out of range", ["uint8[]"], word(32) + word(2) + word(1) + word(300)),
        ("bool[] element 5", ["bool[]"], word(32) + word(1) + word(5)),
        ("transfer arguments cut short", ["address", "uint256"], enc(["address", "uint256"], [A2, "5"])[:-1]),
        ("uint256[][] inner length past the end", ["uint256[][]"], word(32) + word(1) + word(32) + word(9) + word(1)),
    ]
    out = []
    for name, types, data in cases:
        try:
            value = eth_abi.decode(types, data)
        except Exception as error:  # noqa: BLE001 - the reason is recorded, whatever its class
            out.append({"name": name, "types": types, "data": "0x" + data.hex(), "reason": f"{type(error).__name__}: {error}"[:100]})
        else:
            raise AssertionError(f"eth-abi accepted malformed case {name!r}: {value!r}")
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    header = {
        "generator": "scripts/abi-vectors/generate.py",
        "versions": {
            name: importlib.metadata.version(name) for name in ("eth-abi", "eth-utils", "pycryptodome")
        },
    }
    (OUT / "keccak-vectors.json").write_text(json.dumps({**header, **keccak_vectors()}, indent=1, ensure_ascii=False) + "\n")
    abi = {**header, "cases": abi_cases(), "malformed": malformed_cases()}
    (OUT / "abi-vectors.json").write_text(json.dumps(abi, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(abi['cases'])} cases, {len(abi['malformed'])} malformed -> {OUT}")


if __name__ == "__main__":
    main()
