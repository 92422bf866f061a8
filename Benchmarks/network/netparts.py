"""The network benchmark's parts (standard library only): keys and signed statements, child processes of the
`tokenscript` executable, HTTP on keep-alive connections, a server-sent-events follower, the notification server
the failover effect calls, and percentiles."""

import hashlib
import http.client
import http.server
import json
import os
import re
import signal
import subprocess
import threading
import time

from ed25519 import SigningKey


def canonical(value) -> bytes:
    """Canonical JSON as the package writes it for ASCII keys and values: keys sorted, no whitespace."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Key:
    """An ed25519 key from a fixed seed, written as a `tokenscript keys new` key file."""

    def __init__(self, seed_byte: int):
        self.seed = bytes([seed_byte]) * 32
        self.signing = SigningKey(self.seed)
        self.public = "0x" + self.signing.public_key.hex()

    def write(self, path: str) -> str:
        with open(path, "w") as file:
            json.dump({"scheme": "ed25519", "privateKey": "0x" + self.seed.hex(), "publicKey": self.public}, file)
        return path

    def attestation(self, ident: str, topic: str, kind: str, payload, issued_at: int) -> str:
        content = {
            "id": ident, "topic": topic, "type": kind, "issuedAt": issued_at, "payload": payload,
            "issuer": {"key": self.public, "scheme": "ed25519"},
        }
        signature = self.signing.sign(b"swift-tokenscript attestation v1\n" + canonical(content))
        content["signature"] = "0x" + signature.hex()
        return canonical(content).decode()

    def grant(self, instance: str, interfaces, grantee: str, issued_at: int, expires_at: int) -> str:
        content = {
            "grantee": grantee, "instance": instance, "interfaces": interfaces, "issuedAt": issued_at,
            "expiresAt": expires_at, "holder": {"key": self.public, "scheme": "ed25519"},
        }
        signature = self.signing.sign(b"swift-tokenscript read grant v1\n" + canonical(content))
        content["signature"] = "0x" + signature.hex()
        return canonical(content).decode()


class Child:
    """One `tokenscript anchor|node` process, its output in files; ready once stdout has `READY http://…`."""

    def __init__(self, binary: str, arguments, logs: str, name: str, environment=None):
        self.name = name
        self.stdout_path = os.path.join(logs, name + ".out")
        self.stderr_path = os.path.join(logs, name + ".err")
        with open(self.stdout_path, "w") as out, open(self.stderr_path, "w") as err:
            self.process = subprocess.Popen(
                [binary] + arguments, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                env=dict(os.environ, **(environment or {})))
        self.port = None

    def wait_ready(self, seconds: float = 60) -> int:
        deadline = time.time() + seconds
        while time.time() < deadline:
            with open(self.stdout_path) as out:
                match = re.search(r"READY http://127\.0\.0\.1:(\d+)", out.read())
            if match:
                self.port = int(match.group(1))
                return self.port
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.process.returncode}: {self.tail()}")
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} never printed READY: {self.tail()}")

    def tail(self) -> str:
        with open(self.stderr_path, errors="replace") as err:
            return err.read()[-1500:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Client:
    """HTTP/1.1 on one keep-alive connection to 127.0.0.1:port; answers (status, parsed JSON or text)."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body: str = None, headers=None):
        headers = dict(headers or {})
        if body is not None:
            headers.setdefault("Content-Type", "application/json")
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode(errors="replace")
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                if attempt == 1:
                    raise
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text


class EventFollower(threading.Thread):
    """Follows `GET /v1/instances/{id}/events` on one node and stamps the arrival of every step position."""

    def __init__(self, port: int, instance: str, grant: str):
        super().__init__(daemon=True)
        self.port, self.instance, self.grant = port, instance, grant
        self.arrivals = {}
        self.condition = threading.Condition()
        self.connected = threading.Event()

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        connection.request(
            "GET", f"/v1/instances/{self.instance}/events",
            headers={"X-TokenScript-Grant": self.grant, "Accept": "text/event-stream"})
        response = connection.getresponse()
        if response.status != 200:
            raise RuntimeError(f"events on {self.port}: {response.status} {response.read()[:300]!r}")
        self.connected.set()
        while True:
            line = response.fp.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                stamp = time.perf_counter()
                position = json.loads(line[6:])["position"]
                with self.condition:
                    self.arrivals[position] = stamp
                    self.condition.notify_all()

    def wait_for(self, position: int, seconds: float) -> float:
        deadline = time.time() + seconds
        with self.condition:
            while position not in self.arrivals:
                left = deadline - time.time()
                if left <= 0:
                    raise RuntimeError(f"node on {self.port} never applied position {position}")
                self.condition.wait(left)
            return self.arrivals[position]


class NotifyServer:
    """The API the failover effect calls. The first call is held open (the executor is killed during it);
    later calls answer at once. Remembers when each call arrived and the client's port of the first."""

    def __init__(self):
        outer = self
        self.calls = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.calls.append((time.perf_counter(), self.client_address[1], self.headers.get("Idempotency-Key")))
                if len(outer.calls) == 1:
                    outer.first_arrived.set()
                    outer.release.wait(120)
                body = b'{"notified":true}'
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *arguments):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.release.set()
        self.server.shutdown()


def process_with_port(client_port: int) -> int:
    """The PID owning the local TCP port `client_port` (from `ss`), or 0."""
    output = subprocess.run(["ss", "-tnpH", f"sport = :{client_port}"], capture_output=True, text=True).stdout
    match = re.search(r"pid=(\d+)", output)
    return int(match.group(1)) if match else 0


def percentile(values, fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
