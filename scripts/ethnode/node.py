#!/usr/bin/env python3
"""Local Ethereum JSON-RPC test node for swift-tokenscript.

eth-tester (py-evm backend) behind a small JSON-RPC 2.0 HTTP server (stdlib
only) on 127.0.0.1. On start it compiles Fixtures/contracts/*.vy with Vyper
(cached by source hash), deploys them, runs a fixed setup (mints tickets,
balances, members, events), checks every expected value through eth_call,
writes a JSON manifest and prints one line `READY <url>` on stdout.
SIGTERM/SIGINT stop it cleanly. See scripts/ethnode/README.md.
"""

import argparse
import hashlib
import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
T0 = time.monotonic()
VERBOSE = False


def log(msg):
    if VERBOSE:
        print(f"[ethnode {time.monotonic() - T0:6.3f}s] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# JSON-RPC errors
# --------------------------------------------------------------------------

class RpcError(Exception):
    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data

    def to_json(self):
        err = {"code": self.code, "message": self.message}
        if self.data is not None:
            err["data"] = self.data
        return err


def invalid_params(msg):
    return RpcError(-32602, f"invalid params: {msg}")


REVERT_CODE = -32000  # --revert-error-code; geth and anvil use 3


# --------------------------------------------------------------------------
# Wire <-> eth-tester conversion
# --------------------------------------------------------------------------

def hexq(n):
    return hex(n)


def camel(key):
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def to_wire(value):
    """eth-tester output (snake_case, ints, bytes) -> JSON-RPC (camelCase, hex)."""
    if isinstance(value, dict):
        return {camel(k): to_wire(v) for k, v in value.items() if not (k == "type" and v == "mined")}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return value


def parse_quantity(v, name):
    if isinstance(v, str) and v[:2] in ("0x", "0X") and len(v) > 2:
        try:
            return int(v, 16)
        except ValueError:
            pass
    raise invalid_params(f"{name}: expected a hex quantity, got {json.dumps(v)}")


def parse_data(v, name):
    if isinstance(v, str) and v[:2] in ("0x", "0X") and len(v) % 2 == 0:
        try:
            bytes.fromhex(v[2:])
            return "0x" + v[2:].lower()
        except ValueError:
            pass
    raise invalid_params(f"{name}: expected 0x-prefixed hex data, got {json.dumps(v)}")


def parse_address(v, name):
    d = parse_data(v, name)
    if len(d) != 42:
        raise invalid_params(f"{name}: expected a 20-byte address, got {json.dumps(v)}")
    from eth_utils import to_checksum_address
    return to_checksum_address(d)


def parse_hash(v, name):
    d = parse_data(v, name)
    if len(d) != 66:
        raise invalid_params(f"{name}: expected a 32-byte hash, got {json.dumps(v)}")
    return d


TX_FIELDS = {  # wire name -> (eth-tester name, parser)
    "from": ("from", parse_address),
    "to": ("to", parse_address),
    "gas": ("gas", parse_quantity),
    "gasPrice": ("gas_price", parse_quantity),
    "maxFeePerGas": ("max_fee_per_gas", parse_quantity),
    "maxPriorityFeePerGas": ("max_priority_fee_per_gas", parse_quantity),
    "value": ("value", parse_quantity),
    "data": ("data", parse_data),
    "input": ("data", parse_data),
    "nonce": ("nonce", parse_quantity),
}


# --------------------------------------------------------------------------
# The node: eth-tester plus the RPC method table
# --------------------------------------------------------------------------

class Node:
    def __init__(self, chain_id, num_accounts):
        from eth_tester import EthereumTester, PyEVMBackend

        genesis_state = None
        if num_accounts != 10:
            genesis_state = PyEVMBackend.generate_genesis_state(num_accounts=num_accounts)
        self.backend = PyEVMBackend(genesis_state=genesis_state)
        # eth-tester hard-codes chain_id on a class made per chain; snapshots
        # re-create instances of the same class, so patch the class.
        type(self.backend.chain).chain_id = chain_id
        self.tester = EthereumTester(backend=self.backend)
        self.chain_id = chain_id
        self.accounts = list(self.tester.get_accounts())
        self.private_keys = [k.to_hex() for k in self.backend.account_keys]
        self.lock = threading.Lock()
        self.methods = {
            name[4:]: getattr(self, name) for name in dir(self) if name.startswith("rpc_")
        }

    # -- dispatch ---------------------------------------------------------
    def handle(self, req):
        """One JSON-RPC request object -> response object (None for notifications)."""
        rid = None
        try:
            if not isinstance(req, dict) or req.get("jsonrpc") != "2.0" or not isinstance(req.get("method"), str):
                raise RpcError(-32600, "invalid request")
            rid = req.get("id")
            params = req.get("params", [])
            if not isinstance(params, list):
                raise invalid_params("params must be an array")
            result = self.call(req["method"], params)
            resp = {"jsonrpc": "2.0", "id": rid, "result": result}
        except RpcError as e:
            resp = {"jsonrpc": "2.0", "id": rid, "error": e.to_json()}
        except Exception as e:  # noqa: BLE001 - report, do not crash the server
            resp = {"jsonrpc": "2.0", "id": rid, "error": {"code": -32603, "message": f"internal error: {type(e).__name__}: {e}"}}
        if isinstance(req, dict) and "id" not in req and "error" not in resp:
            return None
        return resp

    def call(self, method, params):
        fn = self.methods.get(method.replace(".", "_"))
        if fn is None:
            raise RpcError(-32601, f"method not found: {method}")
        with self.lock:
            try:
                return fn(*params)
            except TypeError as e:
                if "positional argument" in str(e):
                    raise invalid_params(f"{method}: wrong number of parameters") from None
                raise

    # -- helpers ----------------------------------------------------------
    def head_number(self):
        return self.tester.get_block_by_number("latest")["number"]

    def block_id(self, tag, name="block"):
        """Wire block parameter -> eth-tester block identifier."""
        if tag is None:
            return "latest"
        if isinstance(tag, dict):  # EIP-1898
            if "blockHash" in tag:
                h = parse_hash(tag["blockHash"], "blockHash")
                try:
                    return self.tester.get_block_by_hash(h)["number"]
                except Exception:
                    raise RpcError(-32000, f"block {h} not found") from None
            if "blockNumber" in tag:
                return self.block_id(tag["blockNumber"], name)
            raise invalid_params(f"{name}: unknown block selector")
        if tag in ("latest", "safe", "finalized"):
            return "latest"
        if tag == "pending":
            return "pending"
        if tag == "earliest":
            return 0
        n = parse_quantity(tag, name)
        if n > self.head_number():
            raise RpcError(-32000, "header not found")
        return n

    def block_number_of(self, tag, name):
        b = self.block_id(tag, name)
        if b == "latest":
            return self.head_number()
        if b == "pending":
            return self.head_number() + 1
        return b

    def tx_from_wire(self, tx, kind):
        if not isinstance(tx, dict):
            raise invalid_params("transaction must be an object")
        out = {}
        for k, v in tx.items():
            if k in TX_FIELDS:
                if v is None:
                    continue
                dst, parse = TX_FIELDS[k]
                out[dst] = parse(v, k)
            elif k in ("chainId", "type", "accessList"):
                continue  # accepted, not needed by eth-tester
            else:
                raise invalid_params(f"unknown transaction field {k}")
        if "from" not in out:
            if kind == "send":
                raise invalid_params("from is required")
            # eth-tester checks the sender can afford the gas; the zero
            # address cannot, so calls default to account 0.
            out["from"] = self.accounts[0]
        if "gas_price" in out and "max_fee_per_gas" in out:
            raise invalid_params("both gasPrice and maxFeePerGas given")
        if kind != "send":
            for k in ("nonce",):
                out.pop(k, None)
        return out

    def raw_call(self, tx, block):
        """eth_call that keeps the exact revert data (eth-tester decodes it)."""
        from eth.abc import SignedTransactionAPI  # noqa: F401 - py-evm presence
        from eth.vm.spoof import SpoofTransaction
        from eth_tester.backends.pyevm.main import _execute_and_revert_transaction

        t, b = self.tester, self.backend
        t.validator.validate_inbound_transaction(tx, txn_internal_type="call")
        raw = t.normalizer.normalize_inbound_transaction(tx)
        raw_block = t.normalizer.normalize_inbound_block_number(block)
        d = dict(raw)
        d.setdefault("gas", b._max_available_gas())
        unsigned = b._get_normalized_and_unsigned_evm_transaction(d, raw_block)
        comp = _execute_and_revert_transaction(b.chain, SpoofTransaction(unsigned, from_=raw["from"]), raw_block)
        if comp.is_error:
            raise self.revert_error(comp._error)
        return comp.output

    @staticmethod
    def revert_error(err):
        data = err.args[0] if err.args and isinstance(err.args[0], (bytes, bytearray)) else None
        if type(err).__name__ != "Revert":
            return RpcError(REVERT_CODE, f"execution failed: {type(err).__name__} {err}")
        message = "execution reverted"
        if data and data[:4] == bytes.fromhex("08c379a0"):
            try:
                from eth_abi import decode
                message += ": " + decode(["string"], data[4:])[0]
            except Exception:
                pass
        return RpcError(REVERT_CODE, message, "0x" + bytes(data or b"").hex())

    # -- methods ----------------------------------------------------------
    def rpc_web3_clientVersion(self):
        return "swift-tokenscript-ethnode/1 eth-tester/py-evm"

    def rpc_net_version(self):
        return str(self.chain_id)

    def rpc_net_listening(self):
        return True

    def rpc_eth_chainId(self):
        return hexq(self.chain_id)

    def rpc_eth_syncing(self):
        return False

    def rpc_eth_blockNumber(self):
        return hexq(self.head_number())

    def rpc_eth_accounts(self):
        return list(self.accounts)

    def rpc_eth_gasPrice(self):
        return hexq(self.tester.get_block_by_number("pending")["base_fee_per_gas"])

    def rpc_eth_maxPriorityFeePerGas(self):
        return hexq(10**9)

    def rpc_eth_getBalance(self, address, block=None):
        return hexq(self.tester.get_balance(parse_address(address, "address"), self.block_id(block)))

    def rpc_eth_getTransactionCount(self, address, block=None):
        return hexq(self.tester.get_nonce(parse_address(address, "address"), self.block_id(block)))

    def rpc_eth_getCode(self, address, block=None):
        return self.tester.get_code(parse_address(address, "address"), self.block_id(block))

    def rpc_eth_getStorageAt(self, address, slot, block=None):
        v = self.tester.get_storage_at(parse_address(address, "address"), parse_quantity(slot, "slot"), self.block_id(block))
        return "0x" + bytes.fromhex(v[2:]).rjust(32, b"\0").hex() if isinstance(v, str) else to_wire(v)

    def rpc_eth_call(self, tx, block=None):
        t = self.tx_from_wire(tx, "call")
        blk = self.block_id(block)
        try:
            out = self.raw_call(t, blk)
            return "0x" + bytes(out).hex()
        except RpcError:
            raise
        except ImportError:  # fall back on eth-tester's own call
            from eth_tester.exceptions import TransactionFailed
            try:
                return self.tester.call(t, blk)
            except TransactionFailed as e:
                raise RpcError(REVERT_CODE, f"execution reverted: {e}") from None

    def rpc_eth_estimateGas(self, tx, block=None):
        from eth_tester.exceptions import TransactionFailed
        t = self.tx_from_wire(tx, "estimate")
        blk = self.block_id(block)
        try:
            return hexq(self.tester.estimate_gas(t, "latest" if blk == "pending" else blk))
        except TransactionFailed:
            self.raw_call(t, blk)  # raises the revert with its data
            raise RpcError(REVERT_CODE, "execution reverted") from None

    def send(self, t):
        from eth_tester.exceptions import TransactionFailed, ValidationError
        if "gas" not in t:
            est = dict(t)
            est.pop("nonce", None)
            try:
                t["gas"] = self.tester.estimate_gas(est)
            except TransactionFailed:
                self.raw_call(est, "latest")
                raise RpcError(REVERT_CODE, "execution reverted") from None
        try:
            return self.tester.send_transaction(t)
        except ValidationError as e:
            raise RpcError(-32000, str(e)) from None

    def rpc_eth_sendTransaction(self, tx):
        t = self.tx_from_wire(tx, "send")
        if t["from"] not in self.accounts:
            raise RpcError(-32000, f"unknown account {t['from']}")
        return self.send(t)

    def rpc_eth_sendRawTransaction(self, raw):
        from eth_tester.exceptions import ValidationError
        data = parse_data(raw, "data")
        # py-evm does not compare a transaction's chain id with the chain's;
        # real nodes do ("invalid chain id"), so check it here. Legacy
        # transactions without EIP-155 protection are accepted.
        try:
            builder = self.backend.chain.get_vm().get_transaction_builder()
            tx_chain_id = getattr(builder.decode(bytes.fromhex(data[2:])), "chain_id", None)
        except Exception as e:
            raise RpcError(-32000, f"invalid transaction: {e}") from None
        if tx_chain_id is not None and tx_chain_id != self.chain_id:
            raise RpcError(-32000, f"invalid chain id: transaction has {tx_chain_id}, node is {self.chain_id}")
        try:
            return self.tester.send_raw_transaction(data)
        except ValidationError as e:
            raise RpcError(-32000, str(e)) from None
        except Exception as e:  # py-evm rejects bad signatures, nonces, chain ids
            raise RpcError(-32000, f"invalid transaction: {e}") from None

    def rpc_eth_getTransactionReceipt(self, h):
        from eth_tester.exceptions import TransactionNotFound
        try:
            r = self.tester.get_transaction_receipt(parse_hash(h, "hash"))
        except TransactionNotFound:
            return None
        if r.get("block_number") is None:
            return None
        w = to_wire(r)
        tx = self.tester.get_transaction_by_hash(parse_hash(h, "hash"))
        w.setdefault("from", tx["from"])
        w.setdefault("to", tx["to"])
        return w

    def rpc_eth_getTransactionByHash(self, h):
        from eth_tester.exceptions import TransactionNotFound
        try:
            return to_wire(self.tester.get_transaction_by_hash(parse_hash(h, "hash")))
        except TransactionNotFound:
            return None

    def rpc_eth_getBlockByNumber(self, tag, full=False):
        from eth_tester.exceptions import BlockNotFound
        try:
            blk = self.block_id(tag)
            return to_wire(self.tester.get_block_by_number(blk, bool(full)))
        except (BlockNotFound, RpcError):
            return None

    def rpc_eth_getBlockByHash(self, h, full=False):
        from eth_tester.exceptions import BlockNotFound
        try:
            return to_wire(self.tester.get_block_by_hash(parse_hash(h, "hash"), bool(full)))
        except BlockNotFound:
            return None

    def rpc_eth_getLogs(self, flt=None):
        flt = flt or {}
        if not isinstance(flt, dict):
            raise invalid_params("filter must be an object")
        for k in flt:
            if k not in ("fromBlock", "toBlock", "address", "topics", "blockHash"):
                raise invalid_params(f"unknown filter field {k}")
        if "blockHash" in flt:
            if "fromBlock" in flt or "toBlock" in flt:
                raise invalid_params("blockHash excludes fromBlock/toBlock")
            n = self.block_id({"blockHash": flt["blockHash"]})
            lo = hi = n
        else:
            # eth-tester reads "earliest" as pending only; resolve tags here.
            lo = self.block_number_of(flt.get("fromBlock", "latest"), "fromBlock")
            hi = self.block_number_of(flt.get("toBlock", "latest"), "toBlock")
            hi = min(hi, self.head_number())
        if lo > hi:
            return []
        addr = flt.get("address")
        if isinstance(addr, list):
            addr = [parse_address(a, "address") for a in addr] or None
        elif addr is not None:
            addr = parse_address(addr, "address")
        topics = flt.get("topics")
        if topics is not None:
            if not isinstance(topics, list) or len(topics) > 4:
                raise invalid_params("topics must be an array of at most 4 entries")
            conv = []
            for i, t in enumerate(topics):
                if t is None:
                    conv.append(None)
                elif isinstance(t, list):
                    alts = tuple(parse_hash(x, f"topics[{i}]") for x in t)
                    conv.append(alts or None)
                else:
                    conv.append(parse_hash(t, f"topics[{i}]"))
            while conv and conv[-1] is None:
                conv.pop()
            topics = tuple(conv) if conv else None
        logs = self.tester.get_logs(from_block=lo, to_block=hi, address=addr, topics=topics)
        out = []
        for entry in logs:
            w = to_wire(entry)
            w.setdefault("removed", False)
            out.append(w)
        return out

    def rpc_evm_mine(self, *_):
        self.tester.mine_blocks(1)
        return "0x0"

    def rpc_evm_snapshot(self):
        return hexq(self.tester.take_snapshot())

    def rpc_evm_revert(self, sid):
        try:
            self.tester.revert_to_snapshot(parse_quantity(sid, "snapshot id"))
            return True
        except Exception:
            return False

    def rpc_evm_increaseTime(self, seconds):
        secs = seconds if isinstance(seconds, int) else parse_quantity(seconds, "seconds")
        pending = self.tester.get_block_by_number("pending")["timestamp"]
        self.tester.time_travel(pending + secs)
        return hexq(secs)

    def rpc_evm_setNextBlockTimestamp(self, ts):
        ts = ts if isinstance(ts, int) else parse_quantity(ts, "timestamp")
        self.tester.time_travel(ts)
        return None


# --------------------------------------------------------------------------
# HTTP front
# --------------------------------------------------------------------------

MAX_BODY = 8 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive
    disable_nagle_algorithm = True      # TCP_NODELAY: without it ~45 ms per call
    server_version = "ethnode"
    node: Node = None

    def log_message(self, fmt, *args):
        if VERBOSE:
            super().log_message(fmt, *args)

    def reply(self, status, body, ctype="application/json"):
        head = (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                "Connection: keep-alive\r\n\r\n").encode()
        self.wfile.write(head + body)  # one segment

    def do_GET(self):
        self.reply("200 OK", b'{"ready":true}')

    def do_POST(self):
        try:
            n = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self.reply("411 Length Required", b"")
            self.close_connection = True
            return
        if n > MAX_BODY:
            self.reply("413 Payload Too Large", b"")
            self.close_connection = True
            return
        raw = self.rfile.read(n)
        try:
            req = json.loads(raw)
        except ValueError:
            resp = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}}
        else:
            if isinstance(req, list):
                if not req:
                    resp = {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "invalid request: empty batch"}}
                else:
                    resp = [r for r in (self.node.handle(x) for x in req) if r is not None]
                    if not resp:
                        self.reply("204 No Content", b"")
                        return
            else:
                resp = self.node.handle(req)
                if resp is None:
                    self.reply("204 No Content", b"")
                    return
        self.reply("200 OK", json.dumps(resp, separators=(",", ":")).encode())


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # A fixed --port (scripts/local-chain's 8545) can be bound again right after a stop, while the last
    # connections sit in TIME_WAIT; a port another process listens on is still refused (SO_REUSEADDR).
    allow_reuse_address = True


# --------------------------------------------------------------------------
# Contracts: compile (cached), deploy
# --------------------------------------------------------------------------

def default_cache_dir():
    env = os.environ.get("ETHNODE_CACHE_DIR")
    if env:
        return env
    venv = os.path.join(REPO, ".venv")
    if os.path.isdir(venv):
        return os.path.join(venv, "ethnode-cache")
    return os.path.join("/tmp", f"ethnode-cache-{os.getuid()}")


def compile_contracts(contract_dir, cache_dir):
    from importlib.metadata import version
    vyper_version = version("vyper")
    os.makedirs(cache_dir, exist_ok=True)
    out = {}
    files = sorted(f for f in os.listdir(contract_dir) if f.endswith(".vy"))
    if not files:
        raise SystemExit(f"ethnode: no .vy files in {contract_dir}")
    for f in files:
        path = os.path.join(contract_dir, f)
        with open(path, "rb") as fh:
            src = fh.read()
        src_hash = hashlib.sha256(src).hexdigest()
        key = hashlib.sha256(f"vyper {vyper_version}\n{f}\n".encode() + src).hexdigest()
        cpath = os.path.join(cache_dir, f"{f[:-3]}-{key[:24]}.json")
        if os.path.exists(cpath):
            with open(cpath) as fh:
                art = json.load(fh)
            log(f"compile {f}: cache hit")
        else:
            import vyper
            from vyper.compiler.input_bundle import FilesystemInputBundle
            from vyper.compiler.phases import CompilerData  # noqa: F401
            res = vyper.compile_code(src.decode(), contract_path=f, output_formats=["abi", "bytecode"],
                                     input_bundle=FilesystemInputBundle([contract_dir]))
            art = {"abi": res["abi"], "bytecode": res["bytecode"], "vyper": vyper_version}
            tmp = cpath + f".{os.getpid()}.tmp"
            with open(tmp, "w") as fh:
                json.dump(art, fh)
            os.replace(tmp, cpath)
            log(f"compile {f}: compiled")
        art["source"] = os.path.relpath(path, REPO)
        art["sourceSha256"] = src_hash
        out[f[:-3]] = art
    return out


# --------------------------------------------------------------------------
# Setup: deploy and create known state (see expected values in the manifest)
# --------------------------------------------------------------------------

def token_id(event_id, venue, category, seat, serial):
    """Bit layout of TokenScripts/event-ticket-erc721.xml."""
    v = int.from_bytes(venue.encode("ascii"), "big")
    assert len(venue) == 4 and event_id < 2**32 and category < 256 and seat < 2**16 and serial < 2**168
    return (event_id << 224) | (v << 192) | (category << 184) | (seat << 168) | serial


class Setup:
    """Drives the node through its own JSON-RPC dispatcher (same path as HTTP)."""

    def __init__(self, node, artifacts):
        self.node, self.art = node, artifacts
        self.addr = {}
        self.checks = []
        self.a = node.accounts

    def rpc(self, method, *params):
        r = self.node.handle({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
        if "error" in r:
            raise RuntimeError(f"{method} {params}: {r['error']}")
        return r["result"]

    @staticmethod
    def calldata(sig, types, args):
        from eth_abi import encode
        from eth_utils import keccak
        return "0x" + (keccak(text=sig)[:4] + encode(types, args)).hex()

    def tx(self, sender, contract, sig, types=(), args=(), value=0):
        t = {"from": sender, "to": self.addr[contract], "data": self.calldata(sig, list(types), list(args))}
        if value:
            t["value"] = hex(value)
        h = self.rpc("eth_sendTransaction", t)
        rc = self.rpc("eth_getTransactionReceipt", h)
        if rc["status"] != "0x1":
            raise RuntimeError(f"setup transaction {contract}.{sig} failed: {rc}")
        return rc

    def deploy(self, name):
        h = self.rpc("eth_sendTransaction", {"from": self.a[0], "data": self.art[name]["bytecode"]})
        rc = self.rpc("eth_getTransactionReceipt", h)
        assert rc["status"] == "0x1", rc
        self.addr[name] = rc["contractAddress"]
        return {"address": rc["contractAddress"], "deployTransaction": h, "deployBlock": int(rc["blockNumber"], 16)}

    def check(self, contract, sig, types, args, out_types, expected, sender=None):
        """eth_call and compare with the value the setup meant to create."""
        from eth_abi import decode
        data = self.calldata(sig, list(types), list(args))
        call = {"to": self.addr[contract], "data": data}
        if sender:
            call["from"] = sender
        raw = self.rpc("eth_call", call, "latest")
        got = decode(list(out_types), bytes.fromhex(raw[2:]))
        got = got[0] if len(out_types) == 1 else got
        norm = lambda v: v.lower() if isinstance(v, str) else v  # noqa: E731
        if json.dumps(got, default=repr).lower() != json.dumps(expected, default=repr).lower() and norm(got) != norm(expected):
            raise RuntimeError(f"setup self-check failed: {contract}.{sig}{tuple(args)} = {got!r}, expected {expected!r}")
        self.checks.append({"contract": contract, "signature": sig, "args": [jsonable(a) for a in args],
                            "returns": list(out_types), "data": data, "result": raw, "value": jsonable(expected)})

    def check_revert(self, contract, sig, types, args, reason):
        data = self.calldata(sig, list(types), list(args))
        r = self.node.handle({"jsonrpc": "2.0", "id": 1, "method": "eth_call",
                              "params": [{"to": self.addr[contract], "data": data}, "latest"]})
        err = r.get("error") or {}
        if err.get("message") != f"execution reverted: {reason}":
            raise RuntimeError(f"setup self-check failed: {contract}.{sig} should revert with {reason!r}, got {r}")
        return {"contract": contract, "signature": sig, "args": [jsonable(a) for a in args], "data": data,
                "error": err}

    def run(self):
        from eth_abi import encode
        from eth_keys import keys
        from eth_utils import keccak

        a = self.a
        A1, A2, A3 = a[1], a[2], a[3]
        contracts = {n: self.deploy(n) for n in ("Ticket", "Reward", "Membership") if n in self.art}
        for n in self.art:
            if n not in contracts:
                contracts[n] = self.deploy(n)
        expected = {}

        # ---- Ticket -------------------------------------------------------
        future_end, past_end = 4102444800, 946684800  # 2100-01-01, 2000-01-01
        tickets = [  # name, eventId, venue, category, seat, serial, first owner
            ("vip", 1111, "MUC1", 1, 42, 7, A1),         # worked example 1 of the TokenScript
            ("student", 1111, "MUC1", 3, 318, 8, A1),    # worked example 2
            ("standardSeat3", 1111, "MUC1", 2, 3, 9, A2),
            ("standardSeat21", 1111, "MUC1", 2, 21, 10, A1),
            ("pastEvent", 1110, "BER2", 2, 5, 11, A1),
        ]
        cat_label = {1: "VIP", 2: "Standard", 3: "Student"}
        self.tx(a[0], "Ticket", "setEventEnd(uint32,uint64)", ["uint32", "uint64"], [1111, future_end])
        self.tx(a[0], "Ticket", "setEventEnd(uint32,uint64)", ["uint32", "uint64"], [1110, past_end])
        ids = {}
        for name, ev, venue, cat, seat, serial, owner in tickets:
            ids[name] = token_id(ev, venue, cat, seat, serial)
            self.tx(a[0], "Ticket", "mint(address,uint256)", ["address", "uint256"], [owner, ids[name]])
        owners = {n: t[6] for n, t in zip(ids, tickets)}
        # a transfer between holders
        self.tx(A1, "Ticket", "transferFrom(address,address,uint256)", ["address", "address", "uint256"],
                [A1, A2, ids["standardSeat21"]])
        owners["standardSeat21"] = A2
        # redemptions at two gates -> Redeemed events
        redeemed = []
        for name, holder, gate in (("student", A1, 3), ("standardSeat3", A2, 7)):
            self.tx(a[0], "Ticket", "setGate(uint16)", ["uint16"], [gate])
            rc = self.tx(holder, "Ticket", "redeem(uint256)", ["uint256"], [ids[name]])
            logs = [lg for lg in rc["logs"] if lg["topics"][0] == "0x" + keccak(text="Redeemed(uint256,address,uint16)").hex()]
            assert len(logs) == 1, rc
            redeemed.append({"token": name, "tokenId": "0x%064x" % ids[name], "redeemer": holder, "gate": gate,
                             "blockNumber": int(rc["blockNumber"], 16), "transactionHash": rc["transactionHash"],
                             "logIndex": int(logs[0]["logIndex"], 16), "topics": logs[0]["topics"], "data": logs[0]["data"]})
        fee = 10**16
        rc = self.tx(A2, "Ticket", "upgrade(uint256)", ["uint256"], [ids["standardSeat21"]], value=fee)
        upgraded_block = int(rc["blockNumber"], 16)
        expired = {"vip": False, "student": True, "standardSeat3": True, "standardSeat21": False, "pastEvent": True}
        tokens = []
        for name, ev, venue, cat, seat, serial, _ in tickets:
            tid = ids[name]
            self.check("Ticket", "ownerOf(uint256)", ["uint256"], [tid], ["address"], owners[name])
            self.check("Ticket", "isExpired(uint256)", ["uint256"], [tid], ["bool"], expired[name])
            tokens.append({"name": name, "tokenId": "0x%064x" % tid, "tokenIdDecimal": str(tid),
                           "eventId": ev, "venue": venue, "category": cat, "categoryLabel": cat_label[cat],
                           "seat": seat, "serial": serial, "owner": owners[name], "isExpired": expired[name],
                           "redeemed": name in ("student", "standardSeat3"),
                           "upgraded": name == "standardSeat21"})
        balances = {}
        for acct in (A1, A2, A3):
            n = sum(1 for t in tokens if t["owner"] == acct)
            balances[acct] = n
            self.check("Ticket", "balanceOf(address)", ["address"], [acct], ["uint256"], n)
        self.check("Ticket", "upgradeFee()", [], [], ["uint256"], fee)
        self.check("Ticket", "name()", [], [], ["string"], "Event Ticket")
        self.check("Ticket", "symbol()", [], [], ["string"], "TICKET")
        self.check("Ticket", "supportsInterface(bytes4)", ["bytes4"], [bytes.fromhex("80ac58cd")], ["bool"], True)
        unknown = token_id(1111, "MUC1", 1, 1, 999)
        expected["Ticket"] = {
            "name": "Event Ticket", "symbol": "TICKET", "upgradeFee": str(fee), "gate": 7,
            "eventEnds": {"1111": future_end, "1110": past_end},
            "tokens": tokens, "balances": balances,
            "redeemed": redeemed,
            "upgradedBlock": upgraded_block,
            "unknownTokenId": "0x%064x" % unknown,
            "reverts": [self.check_revert("Ticket", "ownerOf(uint256)", ["uint256"], [unknown], "Ticket: unknown token"),
                        self.check_revert("Ticket", "isExpired(uint256)", ["uint256"], [unknown], "Ticket: unknown token")],
            "events": {"Transfer": "Transfer(address,address,uint256)",
                       "Redeemed": "Redeemed(uint256,address,uint16)",
                       "Upgraded": "Upgraded(uint256,address,uint256)"},
        }

        # ---- Reward -------------------------------------------------------
        E18 = 10**18
        self.tx(a[0], "Reward", "mint(address,uint256)", ["address", "uint256"], [A1, 1000 * E18])
        self.tx(a[0], "Reward", "mint(address,uint256)", ["address", "uint256"], [A2, 2505 * E18 // 10])
        rc_transfer = self.tx(A1, "Reward", "transfer(address,uint256)", ["address", "uint256"], [A2, 100 * E18])
        stake_fee = 5 * 10**14
        self.tx(A2, "Reward", "stake(uint256)", ["uint256"], [50 * E18], value=stake_fee)
        rbal = {A1: 900 * E18, A2: 3005 * E18 // 10, A3: 0}
        for acct, v in rbal.items():
            self.check("Reward", "balanceOf(address)", ["address"], [acct], ["uint256"], v)
        self.check("Reward", "staked(address)", ["address"], [A2], ["uint256"], 50 * E18)
        self.check("Reward", "totalSupply()", [], [], ["uint256"], 12505 * E18 // 10)
        self.check("Reward", "name()", [], [], ["string"], "Reward Point")
        self.check("Reward", "symbol()", [], [], ["string"], "RWD")
        self.check("Reward", "decimals()", [], [], ["uint8"], 18)
        self.check("Reward", "stakeFee()", [], [], ["uint256"], stake_fee)
        expected["Reward"] = {
            "name": "Reward Point", "symbol": "RWD", "decimals": 18, "totalSupply": str(12505 * E18 // 10),
            "stakeFee": str(stake_fee), "balances": {k: str(v) for k, v in rbal.items()},
            "staked": {A2: str(50 * E18)},
            "transfer": {"from": A1, "to": A2, "value": str(100 * E18),
                         "blockNumber": int(rc_transfer["blockNumber"], 16),
                         "transactionHash": rc_transfer["transactionHash"]},
        }

        # ---- Membership ---------------------------------------------------
        issuer_key = keys.PrivateKey(bytes.fromhex(self.node.private_keys[9][2:]))
        issuer = issuer_key.public_key.to_checksum_address()
        self.tx(a[0], "Membership", "setIssuer(address)", ["address"], [issuer])
        info_t = "(uint8,uint64,bool,(uint32,uint256))"
        members = {}

        def mint_member(to, info):
            rc = self.tx(a[0], "Membership", f"mintMember(address,{info_t})", ["address", info_t], [to, info])
            tid = int(rc["logs"][0]["topics"][3], 16)
            members[tid] = {"owner": to, "info": info}
            return tid

        t1 = mint_member(A1, (3, 1767225600, True, (12, 450)))   # the TokenScript's worked example
        t2 = mint_member(A2, (5, 0, True, (300, 98765)))         # lifetime: expiresAt=0
        t3 = mint_member(A1, (2, 1780000000, False, (4, 120)))   # renewed below
        renew_price = 4 * 10**15
        self.tx(A1, "Membership", "renew(uint256,uint16)", ["uint256", "uint16"], [t3, 2], value=2 * renew_price)
        members[t3]["info"] = (2, 1780000000 + 2 * 30 * 86400, True, (4, 120))
        join_price = 5 * 10**16
        rc = self.tx(A3, "Membership", "join()", [], [], value=join_price)
        t4 = int(rc["logs"][0]["topics"][3], 16)
        ts = int(self.rpc("eth_getBlockByNumber", rc["blockNumber"], False)["timestamp"], 16)
        members[t4] = {"owner": A3, "info": (1, ts + 365 * 86400, True, (0, 0))}
        pass_ = (bytes.fromhex("6cf8e66cc054151b3a64427ef70181627a9ad856945b223e950b898449315e07"), A2,
                 1767225600, 4102444800, encode(["string", "string"], ["M-0042", "rowing"]))
        pass_t = "(bytes32,address,uint64,uint64,bytes)"
        digest = keccak(encode([pass_t], [pass_]))
        sig = issuer_key.sign_msg_hash(digest).to_bytes()  # r || s || v(0/1)
        rc = self.tx(A2, "Membership", f"claimWithPass({pass_t},bytes)", [pass_t, "bytes"], [pass_, sig])
        t5 = int(rc["logs"][0]["topics"][3], 16)
        members[t5] = {"owner": A2, "info": (1, 4102444800, True, (0, 0))}
        for tid, m in members.items():
            self.check("Membership", "ownerOf(uint256)", ["uint256"], [tid], ["address"], m["owner"])
            self.check("Membership", "getMember(uint256)", ["uint256"], [tid], [info_t], m["info"])
        mbal = {}
        for acct in (A1, A2, A3):
            mbal[acct] = sum(1 for m in members.values() if m["owner"] == acct)
            self.check("Membership", "balanceOf(address)", ["address"], [acct], ["uint256"], mbal[acct])
        self.check("Membership", "joinPrice()", [], [], ["uint256"], join_price)
        self.check("Membership", "nextTokenId()", [], [], ["uint256"], 6)
        expected["Membership"] = {
            "joinPrice": str(join_price), "renewPricePerMonth": str(renew_price), "issuer": issuer,
            "members": [{"tokenId": tid, "owner": m["owner"],
                         "info": {"level": m["info"][0], "expiresAt": m["info"][1], "active": m["info"][2],
                                  "stats": {"visits": m["info"][3][0], "points": str(m["info"][3][1])}}}
                        for tid, m in sorted(members.items())],
            "balances": mbal,
            "lifetimeTokenId": t2, "workedExampleTokenId": t1, "joinedTokenId": t4, "claimedTokenId": t5,
            "pass": {"schema": "0x" + pass_[0].hex(), "recipient": A2, "time": pass_[2], "expirationTime": pass_[3],
                     "data": "0x" + pass_[4].hex(), "digest": "0x" + digest.hex(), "signature": "0x" + sig.hex()},
            "reverts": [self.check_revert("Membership", "getMember(uint256)", ["uint256"], [999], "Membership: unknown token")],
        }
        return contracts, expected


def jsonable(v):
    if isinstance(v, (bytes, bytearray)):
        return "0x" + bytes(v).hex()
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 2**53:
        return str(v)
    return v


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def write_json_atomic(path, obj):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as fh:
        json.dump(obj, fh, indent=2)
        fh.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    global VERBOSE, REVERT_CODE
    p = argparse.ArgumentParser(
        description="Local Ethereum JSON-RPC test node (eth-tester/py-evm) for swift-tokenscript. "
                    "Prints 'READY <url>' on stdout when the contracts are deployed and the manifest is written; "
                    "stops cleanly on SIGTERM or SIGINT.")
    p.add_argument("--manifest", required=True, metavar="PATH",
                   help="write the JSON manifest (url, chainId, pid, accounts, contracts, expected values) here")
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (default 0: a free port)")
    p.add_argument("--chain-id", type=int, default=31337, help="chain id reported and enforced (default 31337)")
    p.add_argument("--accounts", type=int, default=10, help="number of funded, unlocked accounts (default 10; keys 1..N)")
    p.add_argument("--contracts", default=os.path.join(REPO, "Fixtures", "contracts"), metavar="DIR",
                   help="directory of .vy contracts (default Fixtures/contracts)")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="compiled-contract cache (default $ETHNODE_CACHE_DIR, else .venv/ethnode-cache, else /tmp)")
    p.add_argument("--no-setup", action="store_true", help="deploy only; skip the fixture setup and expected values")
    p.add_argument("--revert-error-code", type=int, default=-32000,
                   help="JSON-RPC error code for reverts (default -32000; geth/anvil use 3)")
    p.add_argument("--parent-pid", type=int, default=None, metavar="PID",
                   help="exit when this process is gone (so a crashed test run leaves no node behind)")
    p.add_argument("--keep-manifest", action="store_true", help="leave the manifest file in place on exit")
    p.add_argument("--verbose", action="store_true", help="timings and HTTP requests on stderr")
    args = p.parse_args(argv)
    VERBOSE = args.verbose
    REVERT_CODE = args.revert_error_code
    if args.accounts < 4:
        p.error("--accounts must be at least 4 (the setup uses accounts 0-3 and 9 as issuer when there are 10)")

    # Bind first, so a bad port fails fast.
    httpd = Server(("127.0.0.1", args.port), Handler)
    port = httpd.server_address[1]
    url = f"http://127.0.0.1:{port}"
    log(f"listening on {url}")

    artifacts = compile_contracts(args.contracts, args.cache_dir or default_cache_dir())
    log("contracts ready")
    node = Node(args.chain_id, args.accounts)
    log("chain ready")
    Handler.node = node
    setup = Setup(node, artifacts)
    if args.no_setup:
        contracts = {n: setup.deploy(n) for n in artifacts}
        expected = None
    else:
        if args.accounts < 10:
            p.error("the setup needs 10 accounts")
        contracts, expected = setup.run()
    for n, c in contracts.items():
        c["abi"] = artifacts[n]["abi"]
        c["source"] = artifacts[n]["source"]
        c["sourceSha256"] = artifacts[n]["sourceSha256"]
    snapshot = node.call("evm_snapshot", [])
    log("setup done")

    from importlib.metadata import version
    manifest = {
        "format": 1,
        "rpcUrl": url,
        "host": "127.0.0.1",
        "port": port,
        "chainId": args.chain_id,
        "chainIdHex": hex(args.chain_id),
        "pid": os.getpid(),
        "revertErrorCode": REVERT_CODE,
        "blockNumberAfterSetup": node.head_number(),
        "snapshotAfterSetup": snapshot,
        "accounts": [{"address": a, "privateKey": k} for a, k in zip(node.accounts, node.private_keys)],
        "contracts": contracts,
        "expected": expected,
        "calls": setup.checks,
        "versions": {pkg: version(pkg) for pkg in ("eth-tester", "py-evm", "vyper")},
        "startupSeconds": round(time.monotonic() - T0, 3),
    }
    write_json_atomic(args.manifest, manifest)

    stopping = threading.Event()

    def stop(*_):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.parent_pid:
        def watch():
            while not stopping.is_set():
                try:
                    os.kill(args.parent_pid, 0)
                except ProcessLookupError:
                    log("parent gone")
                    stop()
                    return
                except PermissionError:
                    pass
                time.sleep(0.5)
        threading.Thread(target=watch, daemon=True).start()

    print(f"READY {url}", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        httpd.server_close()
        if not args.keep_manifest:
            try:
                os.unlink(args.manifest)
            except FileNotFoundError:
                pass
        log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
