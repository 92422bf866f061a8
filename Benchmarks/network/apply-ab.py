#!/usr/bin/env python3
"""Part (d) of the network benchmark for two builds, side by side: alternating runs of one node applying ticks.

This machine's speed moves by ±15 % between runs, so a change to the node's apply path is judged by alternating
runs of the build before and the build after, never by two runs minutes apart. Each run starts a fresh node of
one build (its own SQLite store), creates N instances of the benchmark's counter token, posts one tick each
(in arrays of --batch on --connections, like part (d)'s batched side), and waits until every instance applied
it. Per run it prints the applied rate and the CPU the node spent per attestation, read from /proc: the node
alone and with its Lua workers. With a build that exports them, also the store's writes per commit.

    Benchmarks/network/apply-ab.py --a DIR_BEFORE --b DIR_AFTER [--instances 4000] [--rounds 3]

DIR is a directory holding `tokenscript` and `tokenscript-lua-worker` (copy a release build there: the node
finds its worker next to itself). Standard library only, like the benchmark's driver.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time
import types
import urllib.request

from netbench import Bench, parallel
from netparts import Client


def cpu_seconds(pid, with_children):
    """User and system CPU of `pid` (and, with_children, of every live descendant), from /proc."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = open(f"/proc/{current}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            if with_children:
                for task in os.listdir(f"/proc/{current}/task"):
                    pending += [int(child) for child in open(f"/proc/{current}/task/{task}/children").read().split()]
        except OSError:
            pass  # a worker that ended meanwhile
    return total


def store_counts(port):
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
    return {line.split()[0]: float(line.split()[1]) for line in text.splitlines()
            if line.startswith("tokenscript_store_")}


def one_run(directory, label, options, script):
    work = tempfile.mkdtemp(prefix="apply-ab-")
    try:
        bench = Bench(types.SimpleNamespace(tokenscript=os.path.join(directory, "tokenscript"), work=work,
                                            script=script, lease_term=5))
        node = bench.start("node", ["node", "--listen", "127.0.0.1:0", "--data", os.path.join(work, "node"),
                                    "--key", bench.node_keys[0].write(os.path.join(work, "node.key")),
                                    "--name", "node", "--script", bench.script])
        try:
            names = [f"ab-{index:05d}" for index in range(options.instances)]
            parallel(node.port, names, lambda client, name: bench.create(client, name), 16)
            signed = [bench.meter.attestation(f"t-{name}", f"tick/{name}", "tick", {"amount": 1}, bench.now)
                      for name in names]
            bodies = ["[" + ",".join(signed[index:index + options.batch]) + "]"
                      for index in range(0, len(signed), options.batch)]

            def post(client, body):
                status, answer = client.request("POST", "/v1/attestations", body)
                if status != 200 or answer["errors"]:
                    raise RuntimeError(f"posting ticks: {status} {str(answer)[:300]}")

            pid = node.process.pid
            counts_before = store_counts(node.port)
            node_before, all_before = cpu_seconds(pid, False), cpu_seconds(pid, True)
            started = time.perf_counter()
            parallel(node.port, bodies, post, options.connections)
            lister = Client(node.port, timeout=120)
            while True:
                status, answer = lister.request("GET", "/v1/instances")
                if sum(1 for view in answer["instances"] if view["position"] >= 1) >= options.instances:
                    break
                time.sleep(0.25)
            seconds = time.perf_counter() - started
            node_cpu, all_cpu = cpu_seconds(pid, False) - node_before, cpu_seconds(pid, True) - all_before
            counts = {key: value - counts_before.get(key, 0) for key, value in store_counts(node.port).items()}
        finally:
            bench.stop_all()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    commits = counts.get("tokenscript_store_commits_total")
    result = {
        "label": label, "applied": options.instances / seconds,
        "node_us": 1e6 * node_cpu / options.instances, "all_us": 1e6 * all_cpu / options.instances,
        "writes_per_commit": counts["tokenscript_store_writes_total"] / commits if commits else None,
    }
    per_commit = f", {result['writes_per_commit']:.1f} writes per commit" if commits else ""
    print(f"{label}: applied {result['applied']:,.0f}/s; CPU per attestation: node {result['node_us']:.0f} µs, "
          f"with its workers {result['all_us']:.0f} µs{per_commit}", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", required=True, help="directory of the first build (tokenscript, its worker)")
    parser.add_argument("--b", required=True, help="directory of the second build")
    parser.add_argument("--instances", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each build, alternating")
    parser.add_argument("--batch", type=int, default=100, help="ticks per POST")
    parser.add_argument("--connections", type=int, default=4)
    options = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    script = os.path.join(here, "counter.xml")
    for directory in (options.a, options.b):
        for name in ("tokenscript", "tokenscript-lua-worker"):
            if not os.access(os.path.join(directory, name), os.X_OK):
                parser.error(f"{directory} has no executable {name}")
    results = {"a": [], "b": []}
    for _ in range(options.rounds):
        for label, directory in (("a", options.a), ("b", options.b)):
            results[label].append(one_run(directory, label, options, script))
    print()
    for label in ("a", "b"):
        runs = results[label]
        print(f"{label} ({len(runs)} runs, median): applied {statistics.median(r['applied'] for r in runs):,.0f}/s; "
              f"node {statistics.median(r['node_us'] for r in runs):.0f} µs, "
              f"with its workers {statistics.median(r['all_us'] for r in runs):.0f} µs per attestation")
    ratio = statistics.median(r["node_us"] for r in results["b"]) / statistics.median(
        r["node_us"] for r in results["a"])
    print(f"b / a, node CPU per attestation: {ratio:.2f}×")


if __name__ == "__main__":
    main()
