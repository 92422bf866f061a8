#!/usr/bin/env python3
"""The network benchmark's driver (issue 11), standard library only; run by Benchmarks/run-network-benchmark.sh.

Starts an anchor and three nodes of the `tokenscript` executable on free ports of 127.0.0.1 and measures
(a) cached interface reads with wrk against one node, side by side with the same node's /health;
(b) attestation-to-applied latency on all three hosts, with a /health round trip as the floor;
(c) failover: the executor killed with SIGKILL during an effect call, until the outcome is applied elsewhere;
then one node alone with its durable SQLite store:
(d) attestations applied per second across N instances.
Prints a Markdown section body to --markdown and every figure to --json.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

from netparts import Child, Client, EventFollower, Key, NotifyServer, percentile, process_with_port

GRANTEE = "bench.example"


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokenscript", required=True, help="the release tokenscript executable")
    parser.add_argument("--work", required=True, help="a scratch directory (data, logs, keys)")
    parser.add_argument("--script", required=True, help="Benchmarks/network/counter.xml")
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--instances", type=int, default=10000)
    parser.add_argument("--before-instances", type=int, default=1000,
                        help="instances for (d) with one transaction per write (TOKENSCRIPT_SQLITE_MAX_BATCH=1)")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lease-term", type=int, default=5)
    parser.add_argument("--from-json", help="measure nothing: write the Markdown from this earlier --json file")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: reads,latency,failover,apply")
    return parser.parse_args()


class Bench:
    def __init__(self, options):
        self.options = options
        self.work = options.work
        self.logs = os.path.join(self.work, "logs")
        os.makedirs(self.logs, exist_ok=True)
        self.meter, self.holder, self.anchor_key = Key(0x71), Key(0x72), Key(0x5F)
        self.node_keys = [Key(0x61 + index) for index in range(3)]
        self.notify = NotifyServer()
        self.script = self.write_script()
        self.children = []
        self.figures = {}
        self.now = int(time.time())

    def write_script(self) -> str:
        with open(self.options.script) as file:
            text = file.read()
        text = text.replace("METER_KEY", self.meter.public[2:]).replace(
            "NOTIFY_API", f"http://127.0.0.1:{self.notify.port}")
        path = os.path.join(self.work, "counter.xml")
        with open(path, "w") as file:
            file.write(text)
        return path

    def start(self, name, arguments, environment=None) -> Child:
        child = Child(self.options.tokenscript, arguments, self.logs, name, environment)
        self.children.append(child)
        child.wait_ready()
        return child

    def stop_all(self):
        for child in reversed(self.children):
            child.stop()
        self.children = []

    def grant(self, instance, interfaces):
        return self.holder.grant(instance, interfaces, GRANTEE, self.now - 60, self.now + 86400)

    def create(self, client, instance):
        body = json.dumps({"script": "counter", "id": instance, "attributes": {"name": instance},
                           "holder": self.holder.public})
        status, answer = client.request("POST", "/v1/instances", body)
        if status != 201:
            raise RuntimeError(f"creating {instance}: {status} {answer}")

    def wait_position(self, port, instance, position, seconds=30):
        client = Client(port)
        headers = {"X-TokenScript-Grant": self.grant(instance, ["*"])}
        deadline = time.time() + seconds
        while time.time() < deadline:
            status, answer = client.request("GET", f"/v1/instances/{instance}", headers=headers)
            if status == 200 and answer["position"] >= position:
                return answer
            time.sleep(0.05)
        raise RuntimeError(f"{instance} never reached position {position} on port {port}")

    # The network: an anchor and three nodes that trust each other's keys and the anchor's.
    def start_network(self):
        egress = ["--allow-egress", "127.0.0.1", "--allow-http"]
        anchor = self.start("anchor", [
            "anchor", "--listen", "127.0.0.1:0", "--data", os.path.join(self.work, "anchor"),
            "--key", self.anchor_key.write(os.path.join(self.work, "anchor.key")),
            "--lease-term", str(self.options.lease_term)] + egress)
        trust = ["--anchor-key", self.anchor_key.public]
        for key in self.node_keys:
            trust += ["--executor-key", key.public]
        self.nodes = []
        for index, key in enumerate(self.node_keys):
            name = f"n{index + 1}"
            self.nodes.append(self.start(name, [
                "node", "--listen", "127.0.0.1:0", "--data", os.path.join(self.work, name),
                "--key", key.write(os.path.join(self.work, name + ".key")), "--name", name,
                "--script", self.script, "--anchor", f"http://127.0.0.1:{anchor.port}"] + trust + egress))
        time.sleep(2)  # every node heartbeats once before the first placement

    # (a) wrk against one node: the cached interface, and /health as the reference.
    def measure_reads(self):
        node = self.nodes[0]
        client = Client(node.port)
        self.create(client, "read-1")
        self.wait_position(node.port, "read-1", 0)
        grant = self.grant("read-1", ["reading"])
        headers = {"X-TokenScript-Grant": grant, "X-TokenScript-Grantee": GRANTEE}
        status, answer = client.request("POST", "/v1/instances/read-1/interfaces/reading", '{"arguments":{}}', headers)
        if status != 200 or answer["result"]["name"] != "read-1":
            raise RuntimeError(f"the interface read failed: {status} {answer}")
        lua = os.path.join(self.work, "interface.lua")
        with open(lua, "w") as file:
            file.write('wrk.method = "POST"\nwrk.body = \'{"arguments":{}}\'\n'
                       'wrk.headers["Content-Type"] = "application/json"\n'
                       f'wrk.headers["X-TokenScript-Grant"] = [==[{grant}]==]\n'
                       f'wrk.headers["X-TokenScript-Grantee"] = "{GRANTEE}"\n')
        base = f"http://127.0.0.1:{node.port}"
        sides = {"interface": ["-s", lua, base + "/v1/instances/read-1/interfaces/reading"],
                 "health": [base + "/health"]}
        seconds = str(self.options.wrk_seconds)
        rate_flag = wrk_supports_rate()
        for side in sides.values():  # warm-up
            run_wrk(["-t2", "-c32", "-d2s"] + side)
        saturated = {name: [] for name in sides}
        for round_index in range(self.options.rounds):
            names = list(sides)
            if round_index % 2:
                names.reverse()
            for name in names:
                saturated[name].append(run_wrk(["-t2", "-c32", "-d" + seconds, "--latency"] + sides[name]))
        best = max(statistics.median(r["rate"] for r in saturated["interface"]), 1)
        half = {}
        for name in sides:
            if rate_flag:
                half[name] = run_wrk(["-t2", "-c16", "-d" + seconds, "-R", str(int(best / 2)), "--latency"]
                                     + sides[name])
            else:
                half[name] = run_wrk(["-t1", "-c2", "-d" + seconds, "--latency"] + sides[name])
        self.figures["reads"] = {"saturated": saturated, "lighter": half, "rateFlag": rate_flag,
                                 "cachedAnswers": None}

    # (b) attestation-to-applied latency on every host, one attestation at a time, entry node rotating.
    def measure_latency(self):
        client = Client(self.nodes[0].port)
        self.create(client, "lat-1")
        for node in self.nodes:
            self.wait_position(node.port, "lat-1", 0)
        grant = self.grant("lat-1", ["*"])
        followers = [EventFollower(node.port, "lat-1", grant) for node in self.nodes]
        for follower in followers:
            follower.start()
            follower.connected.wait(10)
        warmup, samples = 10, self.options.samples
        signed = [self.meter.attestation(f"lat-{i}", "tick/lat-1", "tick", {"amount": 1}, self.now)
                  for i in range(warmup + samples)]
        clients = [Client(node.port) for node in self.nodes]
        per_host = [[] for _ in self.nodes]
        floor = []
        for index, body in enumerate(signed):
            entry = clients[index % 3]
            start = time.perf_counter()
            status, answer = entry.request("GET", "/health")
            floor_sample = time.perf_counter() - start
            start = time.perf_counter()
            status, answer = entry.request("POST", "/v1/attestations", body)
            if status != 200:
                raise RuntimeError(f"posting a tick: {status} {answer}")
            arrivals = [follower.wait_for(index + 1, 30) for follower in followers]
            if index >= warmup:
                floor.append(floor_sample)
                for host, arrival in enumerate(arrivals):
                    per_host[host].append(arrival - start)
        self.figures["latency"] = {"perHost": per_host, "floor": floor}

    # (c) kill -9 the executor while its effect call is held open; time until the survivors applied the outcome.
    def measure_failover(self):
        client = Client(self.nodes[0].port)
        self.create(client, "fail-1")
        for node in self.nodes:
            self.wait_position(node.port, "fail-1", 0)
        body = self.meter.attestation("fail-request", "tick/fail-1", "request", {}, self.now)
        status, answer = client.request("POST", "/v1/attestations", body)
        if status != 200:
            raise RuntimeError(f"posting the request: {status} {answer}")
        if not self.notify.first_arrived.wait(60):
            raise RuntimeError("the effect never called the notification server")
        time.sleep(0.2)
        pid = process_with_port(self.notify.calls[0][1])
        executor = next((node for node in self.nodes if node.process.pid == pid), None)
        if executor is None:
            raise RuntimeError(f"no node owns the effect call's connection (pid {pid})")
        killed = time.perf_counter()
        executor.process.kill()
        executor.process.wait()
        survivors = [node for node in self.nodes if node is not executor]
        grant = self.grant("fail-1", ["*"])
        applied = {}
        deadline = time.time() + 60
        clients = {node.name: Client(node.port) for node in survivors}
        while len(applied) < len(survivors) and time.time() < deadline:
            for node in survivors:
                if node.name in applied:
                    continue
                status, answer = clients[node.name].request(
                    "GET", "/v1/instances/fail-1", headers={"X-TokenScript-Grant": grant})
                if status == 200 and answer["attributes"].get("notified") is True:
                    applied[node.name] = time.perf_counter() - killed
            time.sleep(0.01)
        calls = self.notify.calls
        self.figures["failover"] = {
            "executor": executor.name, "leaseTerm": self.options.lease_term,
            "applied": applied, "secondCall": (calls[1][0] - killed) if len(calls) > 1 else None,
            "calls": len(calls), "sameKey": len({call[2] for call in calls}) == 1,
        }
        self.notify.release.set()

    # (d) one node alone (no anchor), its durable store; N instances, one tick each. `label` names the side:
    # "before" runs the node with one transaction (and one fsync) per write, "after" with group commit, each
    # attestation posted alone on 32 connections; "batched" with group commit, posted as arrays of `batch`
    # attestations (`POST /v1/attestations` with an array body) on 4 connections.
    def measure_apply(self, label, count, maximum_batch, batch=0):
        name = "solo-" + label
        solo = self.start(name, [
            "node", "--listen", "127.0.0.1:0", "--data", os.path.join(self.work, name),
            "--key", self.node_keys[0].write(os.path.join(self.work, "solo.key")), "--name", "solo",
            "--script", self.script], {"TOKENSCRIPT_SQLITE_MAX_BATCH": str(maximum_batch)})
        names = [f"{label}-{index:05d}" for index in range(count)]
        started = time.perf_counter()
        parallel(solo.port, names, lambda client, name: self.create(client, name), 16)
        creating = time.perf_counter() - started
        signed = [self.meter.attestation(f"t-{name}", f"tick/{name}", "tick", {"amount": 1}, self.now)
                  for name in names]

        def post(client, body):
            status, answer = client.request("POST", "/v1/attestations", body)
            if status != 200 or not answer["instances"]:
                raise RuntimeError(f"posting a tick: {status} {answer}")

        def post_batch(client, body):
            status, answer = client.request("POST", "/v1/attestations", body)
            if status != 200 or answer["errors"] or not all(item["instances"] for item in answer["attestations"]):
                raise RuntimeError(f"posting a batch of ticks: {status} {str(answer)[:400]}")

        bodies = ["[" + ",".join(signed[index:index + batch]) + "]" for index in range(0, count, batch)] \
            if batch else signed
        started = time.perf_counter()
        parallel(solo.port, bodies, post_batch if batch else post, 4 if batch else 32)
        posted = time.perf_counter() - started
        lister = Client(solo.port, timeout=120)
        while True:
            status, answer = lister.request("GET", "/v1/instances")
            done = sum(1 for view in answer["instances"] if view["position"] >= 1)
            if done >= count:
                break
            if time.perf_counter() - started > 1800:
                raise RuntimeError(f"only {done} of {count} applied after 30 minutes")
            time.sleep(0.25)
        applied = time.perf_counter() - started
        solo.stop()
        self.children.remove(solo)
        self.figures.setdefault("apply", {})[label] = {
            "instances": count, "maximumBatch": maximum_batch, "postBatch": batch, "createSeconds": creating,
            "postSeconds": posted,
            "appliedSeconds": applied}


def parallel(port, items, work, threads):
    """Runs work(client, item) over items on `threads` threads, each with its own keep-alive connection."""
    errors = []

    def worker(offset):
        client = Client(port, timeout=120)
        try:
            for item in items[offset::threads]:
                work(client, item)
        except Exception as error:  # reported after the join
            errors.append(error)

    pool = [threading.Thread(target=worker, args=(offset,)) for offset in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise errors[0]


def wrk_supports_rate() -> bool:
    """wrk2 takes -R RATE; the original wrk (Debian's package) refuses it."""
    result = subprocess.run(["wrk", "-R", "1", "-d1s", "http://127.0.0.1:9/"], capture_output=True, text=True)
    return "invalid option" not in (result.stderr + result.stdout) and "Usage" not in result.stdout


def run_wrk(arguments):
    output = subprocess.run(["wrk"] + arguments, capture_output=True, text=True, check=True).stdout
    figures = {"rate": float(re_find(r"Requests/sec:\s+([\d.]+)", output)), "arguments": " ".join(arguments[:3])}
    errors = re_find(r"Non-2xx or 3xx responses: (\d+)", output, "0")
    socket_errors = re_find(r"Socket errors: (.*)", output, "")
    figures["non2xx"] = int(errors)
    figures["socketErrors"] = socket_errors
    for label in ("50", "90", "99"):
        value = re_find(rf"\s{label}%\s+([\d.]+\w+)", output, "")
        figures["p" + label] = milliseconds(value) if value else None
    return figures


def re_find(pattern, text, default=None):
    import re
    match = re.search(pattern, text)
    if match:
        return match.group(1)
    if default is None:
        raise RuntimeError(f"wrk output without {pattern}: {text[-500:]}")
    return default


def milliseconds(text):
    for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def main():
    options = parse_arguments()
    if options.from_json:
        from netreport import markdown
        with open(options.from_json) as file:
            figures = json.load(file)
        with open(options.markdown, "w") as file:
            file.write(markdown(figures, options))
        return 0
    skip = set(filter(None, options.skip.split(",")))
    bench = Bench(options)
    try:
        if not {"reads", "latency", "failover"} <= skip:
            bench.start_network()
            if "reads" not in skip:
                bench.measure_reads()
            if "latency" not in skip:
                bench.measure_latency()
            if "failover" not in skip:
                bench.measure_failover()
            bench.stop_all()
        if "apply" not in skip:
            bench.measure_apply("before", options.before_instances, 1)
            bench.measure_apply("after", options.instances, 512)
            bench.measure_apply("batched", options.instances, 512, 100)
    finally:
        bench.stop_all()
        bench.notify.stop()
        with open(options.json, "w") as file:
            json.dump(bench.figures, file, indent=1)
    from netreport import markdown
    with open(options.markdown, "w") as file:
        file.write(markdown(bench.figures, options))
    print(open(options.markdown).read())


if __name__ == "__main__":
    sys.exit(main())
