#!/usr/bin/env python3
"""Issue 12: the time from a node starting to burn its error budget to its instances served elsewhere.

Standard library only; run by Benchmarks/run-relief-benchmark.sh. Each round starts a fresh anchor and four nodes of
the `tokenscript` executable on free ports of 127.0.0.1 (the nodes with --fault-injection), creates flight tickets
(three replicas each, so every ticket lives on three of the four nodes), waits until every node hosts its share,
then tells n4 to answer everything 1.5 s late (`POST /v1/faults`): from then on every probe of the anchor (one a
second, a 1 s objective) is a bad event while n4's heartbeats still go out on time. It records
  - paged: when `tokenscript levels` (signed as n1) first shows n4 at level page;
  - relieved: when every ticket n4 hosted is hosted by all three other nodes (their GET /v1/instances).
Prints a Markdown section body to --markdown and every figure to --json.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from netparts import Child, Client, Key

NODES = 4
SLOW = NODES - 1


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokenscript", required=True, help="the release tokenscript executable")
    parser.add_argument("--work", required=True, help="a scratch directory (data, logs, keys)")
    parser.add_argument("--script", required=True, help="TokenScripts/flight-ticket.xml")
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--instances", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--delay-ms", type=int, default=1500)
    parser.add_argument("--timeout", type=float, default=180, help="seconds a round may wait for the relief")
    return parser.parse_args()


def listed(client):
    status, answer = client.request("GET", "/v1/instances")
    if status != 200:
        raise RuntimeError(f"GET /v1/instances: {status} {answer}")
    return {entry["id"] for entry in answer["instances"]}


def level(options, anchor_port, work, key_path):
    result = subprocess.run(
        [options.tokenscript, "levels", "--anchor", f"http://127.0.0.1:{anchor_port}", "--key", key_path,
         "--name", "n1", "--json"], capture_output=True, text=True, cwd=work)
    if result.returncode != 0:
        return None
    for node in json.loads(result.stdout).get("nodes", []):
        if node.get("node") == f"n{SLOW + 1}":
            return (node.get("standing") or {}).get("level")
    return None


def one_round(options, index):
    work = os.path.join(options.work, f"round-{index}")
    shutil.rmtree(work, ignore_errors=True)
    logs = os.path.join(work, "logs")
    os.makedirs(logs)
    children = []
    try:
        anchor_key = Key(0x5F)
        node_keys = [Key(0x61 + n) for n in range(NODES)]
        holder = Key(0x72)
        members = []
        trust = ["--anchor-key", anchor_key.public]
        for n, key in enumerate(node_keys):
            members += ["--member", f"n{n + 1}={key.public}"]
            trust += ["--executor-key", key.public]
        anchor = Child(options.tokenscript, [
            "anchor", "--listen", "127.0.0.1:0", "--data", os.path.join(work, "anchor"),
            "--key", anchor_key.write(os.path.join(work, "anchor.key"))] + members, logs, "anchor")
        children.append(anchor)
        anchor.wait_ready()
        nodes = []
        for n, key in enumerate(node_keys):
            name = f"n{n + 1}"
            child = Child(options.tokenscript, [
                "node", "--listen", "127.0.0.1:0", "--data", os.path.join(work, name),
                "--key", key.write(os.path.join(work, name + ".key")), "--name", name, "--script", options.script,
                "--anchor", f"http://127.0.0.1:{anchor.port}", "--fault-injection"] + trust, logs, name)
            children.append(child)
            nodes.append(child)
        for child in nodes:
            child.wait_ready()
        time.sleep(2)  # every node heartbeats before the first placement
        clients = [Client(child.port) for child in nodes]
        tickets = [f"ticket-{n}" for n in range(options.instances)]
        for ticket in tickets:
            body = json.dumps({"script": "flight-ticket", "id": ticket, "attributes": {"flight": "LH2024"},
                               "holder": holder.public})
            status, answer = clients[0].request("POST", "/v1/instances", body)
            if status != 201:
                raise RuntimeError(f"creating {ticket}: {status} {answer}")
        deadline = time.time() + 60
        while True:
            hosted = [listed(client) for client in clients]
            if sum(len(h) for h in hosted) == 3 * len(tickets):
                break
            if time.time() > deadline:
                raise RuntimeError(f"the tickets were never placed: {[len(h) for h in hosted]}")
            time.sleep(0.2)
        moving = hosted[SLOW]
        others = [clients[n] for n in range(NODES) if n != SLOW]

        status, answer = clients[SLOW].request(
            "POST", "/v1/faults", json.dumps({"delayMilliseconds": options.delay_ms}))
        if status != 200:
            raise RuntimeError(f"POST /v1/faults: {status} {answer}")
        started = time.monotonic()
        paged = relieved = None
        next_level = 0.0
        while relieved is None or paged is None:
            now = time.monotonic() - started
            if now > options.timeout:
                raise RuntimeError(f"round {index}: no relief within {options.timeout} s (paged at {paged})")
            if paged is None and now >= next_level:
                if level(options, anchor.port, work, os.path.join(work, "n1.key")) == "page":
                    paged = time.monotonic() - started
                next_level = now + 0.5
            if relieved is None and all(moving <= listed(client) for client in others):
                relieved = time.monotonic() - started
            time.sleep(0.1)
        return {"round": index, "tickets": len(tickets), "moved": len(moving), "paged": round(paged, 2),
                "relieved": round(relieved, 2)}
    finally:
        for child in reversed(children):
            child.stop()


def markdown(figures, options):
    rounds = figures["rounds"]
    lines = [
        f"Each round: an anchor and {NODES} nodes on 127.0.0.1, {options.instances} flight tickets on three replicas; "
        f"n4 then answers everything {options.delay_ms} ms late (its probes exceed the 1 s objective; its heartbeats "
        "do not). *Paged*: `tokenscript levels` first shows n4 at level page; *relieved*: every ticket n4 hosted is "
        "hosted by the three other nodes. Seconds from the moment n4 turned slow.",
        "",
        "| round | tickets moved | paged (s) | relieved (s) |",
        "|---|---|---|---|",
    ]
    for entry in rounds:
        lines.append(f"| {entry['round']} | {entry['moved']} | {entry['paged']:.1f} | {entry['relieved']:.1f} |")
    paged = [entry["paged"] for entry in rounds]
    relieved = [entry["relieved"] for entry in rounds]
    lines += [
        f"| **median** | | **{statistics.median(paged):.1f}** | **{statistics.median(relieved):.1f}** |",
        "",
        "What sets the figure: the page rule needs 14.4× the allowed rate of bad events over both 1 h and 5 min and at "
        "least 10 bad events in the 5-minute window, and the anchor probes once a second with a 2 s deadline, so a "
        "node that turns slow pages after about 10 to 20 probes; placement and the nodes' membership polls (one a "
        "tick) then move its instances within a second or two. *Paged* is read by running `tokenscript levels` every "
        "half second, so it can come out a few tenths later than *relieved*.",
    ]
    return "\n".join(lines) + "\n"


def main():
    options = parse_arguments()
    os.makedirs(options.work, exist_ok=True)
    figures = {"rounds": []}
    for index in range(1, options.rounds + 1):
        figures["rounds"].append(one_round(options, index))
        print(json.dumps(figures["rounds"][-1]), file=sys.stderr)
    with open(options.json, "w") as file:
        json.dump(figures, file, indent=1)
    with open(options.markdown, "w") as file:
        file.write(markdown(figures, options))
    print(open(options.markdown).read())
    return 0


if __name__ == "__main__":
    sys.exit(main())
