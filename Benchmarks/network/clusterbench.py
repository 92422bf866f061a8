#!/usr/bin/env python3
"""Issue 13's benchmark: the embedded SQLite store and PostgreSQL side by side in one run.

(1) Fenced appends per second through the AttestationLog protocol (`tokenscript-benchmarks fenced-appends`), SQLite
and PostgreSQL alternating round by round. (2) Attestation-to-applied latency across three node processes: an
attestation posted to a node, until every host's event stream delivers the step, with one anchor and the nodes on
SQLite and with two anchors sharing PostgreSQL and the nodes in schemas of their own there.
(3) Failover: the executor killed (SIGKILL) during its effect call, until the
survivors applied the outcome, on both. Standard library only; (2) and (3) reuse netbench.py's measurements."""

import argparse
import json
import os
import subprocess
import sys
import time

from netbench import Bench
from netparts import NotifyServer, percentile


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokenscript", required=True, help="the release tokenscript executable")
    parser.add_argument("--benchmarks", required=True, help="the release tokenscript-benchmarks executable")
    parser.add_argument("--postgres", required=True, help="a postgres:// URL of an empty throw-away database")
    parser.add_argument("--work", required=True, help="a scratch directory (data, logs, keys)")
    parser.add_argument("--script", required=True, help="Benchmarks/network/counter.xml")
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--rounds", type=int, default=3, help="fenced-append rounds per store")
    parser.add_argument("--seconds", type=int, default=10, help="seconds of each fenced-append round")
    parser.add_argument("--writers", type=int, default=64, help="concurrent fenced writers")
    parser.add_argument("--samples", type=int, default=300, help="attestations for the latency")
    parser.add_argument("--lease-term", type=int, default=5)
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: appends,latency,failover")
    parser.add_argument("--from-json", help="measure nothing: write the Markdown from this earlier --json file")
    return parser.parse_args()


class StoreBench(Bench):
    """netbench's network on one kind of store: one anchor and every node on its embedded SQLite file, or two
    anchors sharing a PostgreSQL schema and every node in a schema of its own there (`--store`), given both
    anchors."""

    def __init__(self, options, postgres_url=None):
        options.work = os.path.join(options.base_work, "postgres" if postgres_url else "sqlite")
        os.makedirs(options.work, exist_ok=True)
        super().__init__(options)
        self.postgres_url = postgres_url
        self.postgres_base = postgres_url.split("?")[0] if postgres_url else None

    def start_network(self):
        egress = ["--allow-egress", "127.0.0.1", "--allow-http"]
        key = self.anchor_key.write(os.path.join(self.work, "anchor.key"))
        store = ["--store", self.postgres_url] if self.postgres_url else []
        anchors = []
        for index in range(2 if self.postgres_url else 1):
            name = f"anchor-{index + 1}"
            anchors.append(self.start(name, [
                "anchor", "--listen", "127.0.0.1:0", "--data", os.path.join(self.work, name), "--key", key,
                "--name", name, "--lease-term", str(self.options.lease_term)] + store + egress))
        urls = ",".join(f"http://127.0.0.1:{anchor.port}" for anchor in anchors)
        trust = ["--anchor-key", self.anchor_key.public]
        for node_key in self.node_keys:
            trust += ["--executor-key", node_key.public]
        self.nodes = []
        for index, node_key in enumerate(self.node_keys):
            name = f"n{index + 1}"
            node_store = ["--store", f"{self.postgres_base}?schema=network_{name}&connections=8"] \
                if self.postgres_url else []
            self.nodes.append(self.start(name, [
                "node", "--listen", "127.0.0.1:0", "--data", os.path.join(self.work, name),
                "--key", node_key.write(os.path.join(self.work, name + ".key")), "--name", name,
                "--script", self.script, "--anchor", urls] + trust + egress + node_store))
        time.sleep(2)  # every node heartbeats once before the first placement


def fenced_appends(options, side, round_index):
    store = (f"sqlite:{options.base_work}/fenced-{round_index}.sqlite" if side == "sqlite"
             else f"{options.postgres}?schema=fenced_{round_index}&connections=32")
    output = subprocess.run(
        [options.benchmarks, "fenced-appends", "--store", store, "--seconds", str(options.seconds),
         "--writers", str(options.writers)], capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def network(options, side):
    bench = StoreBench(options, options.postgres + "?schema=network" if side == "postgres" else None)
    skip = set(filter(None, options.skip.split(",")))
    try:
        bench.start_network()
        if "latency" not in skip:
            bench.measure_latency()
        if "failover" not in skip:
            bench.measure_failover()
    finally:
        bench.stop_all()
        bench.notify.stop()
    return bench.figures


def milliseconds(value):
    return f"{value * 1000:.1f} ms"


def markdown(figures, options):
    lines = ["| | SQLite: one anchor, nodes | PostgreSQL: two anchors, nodes | PostgreSQL / SQLite |",
             "|---|---|---|---|"]
    appends = figures.get("appends", {})
    if appends.get("sqlite") and appends.get("postgres"):
        rates = {side: sorted(run["perSecond"] for run in runs) for side, runs in appends.items()}
        median = {side: values[len(values) // 2] for side, values in rates.items()}
        lines.append(
            f"| fenced appends per second ({options.writers} writers, {options.seconds} s, median of "
            f"{len(rates['sqlite'])}; each round) | {median['sqlite']:,.0f} "
            f"({', '.join(f'{v:,.0f}' for v in rates['sqlite'])}) | {median['postgres']:,.0f} "
            f"({', '.join(f'{v:,.0f}' for v in rates['postgres'])}) | {median['postgres'] / median['sqlite']:.2f}× |")
        for quantile in ("p50Ms", "p99Ms"):
            values = {side: sorted(run[quantile] for run in runs)[len(runs) // 2] for side, runs in appends.items()}
            lines.append(
                f"| one fenced append, {quantile[:3]} (median of rounds) | {values['sqlite']:.2f} ms | "
                f"{values['postgres']:.2f} ms | {values['postgres'] / values['sqlite']:.2f}× |")
    latency = {side: figures.get(side, {}).get("latency") for side in ("sqlite", "postgres")}
    if latency["sqlite"] and latency["postgres"]:
        every = {}
        for side, data in latency.items():
            # Per attestation: applied on every host = when the last of the three streams delivered it.
            every[side] = [max(samples) for samples in zip(*data["perHost"])]
        for fraction, label in ((0.5, "p50"), (0.99, "p99")):
            s, p = percentile(every["sqlite"], fraction), percentile(every["postgres"], fraction)
            lines.append(
                f"| attestation posted → applied on all 3 hosts, {label} ({len(every['sqlite'])} samples) | "
                f"{milliseconds(s)} | {milliseconds(p)} | {p / s:.2f}× |")
        s, p = percentile(latency["sqlite"]["floor"], 0.5), percentile(latency["postgres"]["floor"], 0.5)
        lines.append(f"| reference: `GET /health` round trip to the entry node, p50 | {milliseconds(s)} | "
                     f"{milliseconds(p)} | |")
    failover = {side: figures.get(side, {}).get("failover") for side in ("sqlite", "postgres")}
    if failover["sqlite"] and failover["postgres"]:
        values = {side: max(data["applied"].values()) if data["applied"] else None for side, data in failover.items()}
        cells = [f"{v:.2f} s" if v is not None else "not applied" for v in values.values()]
        ratio = f"{values['postgres'] / values['sqlite']:.2f}×" if None not in values.values() else ""
        lines.append(f"| failover: executor killed mid-call → outcome applied on both survivors (lease term "
                     f"{options.lease_term} s) | {cells[0]} | {cells[1]} | {ratio} |")
        calls = {side: f"{data['calls']} calls, one key: {data['sameKey']}" for side, data in failover.items()}
        lines.append(f"| the API's calls in the failover | {calls['sqlite']} | {calls['postgres']} | |")
    return "\n".join(lines) + "\n"


def main():
    options = parse_arguments()
    options.base_work = options.work
    if options.from_json:
        with open(options.from_json) as file:
            figures = json.load(file)
        with open(options.markdown, "w") as file:
            file.write(markdown(figures, options))
        print(open(options.markdown).read())
        return 0
    skip = set(filter(None, options.skip.split(",")))
    figures = {"appends": {"sqlite": [], "postgres": []}}
    try:
        if "appends" not in skip:
            for round_index in range(options.rounds):
                # The order rotates from round to round: a noisy neighbour hits both stores alike.
                for side in (("sqlite", "postgres") if round_index % 2 == 0 else ("postgres", "sqlite")):
                    result = fenced_appends(options, side, round_index)
                    figures["appends"][side].append(result)
                    print(f"round {round_index + 1} {side}: {result['perSecond']:,.0f} fenced appends/s "
                          f"(p50 {result['p50Ms']:.2f} ms, p99 {result['p99Ms']:.2f} ms)", file=sys.stderr)
        if not {"latency", "failover"} <= skip:
            for side in ("sqlite", "postgres"):
                figures[side] = network(options, side)
                print(f"{side}: network measured", file=sys.stderr)
    finally:
        with open(options.json, "w") as file:
            json.dump(figures, file, indent=1)
    with open(options.markdown, "w") as file:
        file.write(markdown(figures, options))
    print(open(options.markdown).read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
