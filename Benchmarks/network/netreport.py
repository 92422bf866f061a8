"""The network benchmark's figures as the Markdown tables of its BENCHMARKS.md section, with each target's
verdict computed from the figures (never written by hand)."""

import statistics

from netparts import percentile


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def reads_table(reads, lines):
    saturated, lighter = reads["saturated"], reads["lighter"]
    lines.append("| side, one node | requests/s (median of rounds) | p50 | p99 | non-2xx |")
    lines.append("|---|---:|---:|---:|---:|")
    for name, label in (("interface", "cached interface `POST …/interfaces/reading` (grant checked)"),
                        ("health", "reference: `GET /health`")):
        runs = saturated[name]
        rate = statistics.median(run["rate"] for run in runs)
        p50 = statistics.median(run["p50"] for run in runs)
        p99 = statistics.median(run["p99"] for run in runs)
        lines.append(f"| {label}, saturated (`{runs[0]['arguments']}`) | {rate:,.0f} | {p50:.2f} ms | "
                     f"{p99:.2f} ms | {sum(run['non2xx'] for run in runs)} |")
    for name, label in (("interface", "cached interface"), ("health", "reference: `/health`")):
        run = lighter[name]
        how = "at half the interface's saturated rate (-R)" if reads["rateFlag"] else f"lighter load (`{run['arguments']}`)"
        lines.append(f"| {label}, {how} | {run['rate']:,.0f} | {run['p50']:.2f} ms | {run['p99']:.2f} ms | "
                     f"{run['non2xx']} |")
    interface_rate = statistics.median(run["rate"] for run in saturated["interface"])
    health_rate = statistics.median(run["rate"] for run in saturated["health"])
    lines.append("")
    lines.append(f"Interface / `/health` throughput: **{interface_rate / health_rate:.2f}×**. "
                 f"Target ≥ 20,000 reads/s: {verdict(interface_rate >= 20000)} ({interface_rate:,.0f}/s). "
                 f"Target p99 ≤ 5 ms at half load: {verdict(lighter['interface']['p99'] <= 5)} "
                 f"({lighter['interface']['p99']:.2f} ms"
                 + ("" if reads["rateFlag"] else ", measured with 2 connections instead: this wrk has no -R") + ").")


def latency_table(latency, lines):
    lines.append("| attestation posted → step event on the host | p50 | p90 | p99 | max |")
    lines.append("|---|---:|---:|---:|---:|")
    worst = []
    for host, values in enumerate(latency["perHost"]):
        lines.append(f"| n{host + 1} | {ms(percentile(values, 0.5))} | {ms(percentile(values, 0.9))} | "
                     f"{ms(percentile(values, 0.99))} | {ms(max(values))} |")
        worst.append(percentile(values, 0.99))
    every = [max(values) for values in zip(*latency["perHost"])]
    lines.append(f"| all three hosts applied | {ms(percentile(every, 0.5))} | {ms(percentile(every, 0.9))} | "
                 f"{ms(percentile(every, 0.99))} | {ms(max(every))} |")
    floor = latency["floor"]
    lines.append(f"| reference: `GET /health` round trip | {ms(percentile(floor, 0.5))} | "
                 f"{ms(percentile(floor, 0.9))} | {ms(percentile(floor, 0.99))} | {ms(max(floor))} |")
    lines.append("")
    lines.append(f"{len(floor)} samples. Target p99 ≤ 20 ms on every host: {verdict(max(worst) <= 0.020)} "
                 f"(worst host p99 {ms(max(worst))}).")


def failover_lines(failover, lines):
    lease = failover["leaseTerm"]
    applied = failover["applied"]
    lines.append("| executor killed (SIGKILL) during its effect call → | seconds |")
    lines.append("|---|---:|")
    if failover["secondCall"] is not None:
        lines.append(f"| the new executor calls the API again | {failover['secondCall']:.2f} s |")
    for name, seconds in sorted(applied.items()):
        lines.append(f"| the outcome applied on {name} | {seconds:.2f} s |")
    lines.append(f"| reference: lease term + 1 s | {lease + 1:.2f} s |")
    lines.append("")
    worst = max(applied.values()) if len(applied) == 2 else None
    lines.append(f"Executor: {failover['executor']}; {failover['calls']} calls to the API, "
                 f"{'one' if failover['sameKey'] else 'different'} idempotency key. Target ≤ lease + 1 s: "
                 + (verdict(worst <= lease + 1) + f" ({worst:.2f} s)." if worst is not None
                    else "**missed** (a survivor never applied the outcome within 60 s)."))


def apply_lines(apply, lines):
    lines.append("| one node, durable SQLite store | instances | create /s | posted /s | **applied /s** | "
                 "applied, time |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    labels = {"before": "one transaction (one fsync) per write (`TOKENSCRIPT_SQLITE_MAX_BATCH=1`)",
              "after": "group commit (up to 512 writes per transaction), the default",
              "batched": "group commit, posted in arrays of {batch} (4 connections)"}
    rates = {}
    for label in ("before", "after", "batched"):
        if label not in apply:
            continue
        side = apply[label]
        count = side["instances"]
        rates[label] = count / side["appliedSeconds"]
        lines.append(f"| {labels[label].format(batch=side.get('postBatch', 0))} | {count:,} | {count / side['createSeconds']:,.0f} | "
                     f"{count / side['postSeconds']:,.0f} | **{rates[label]:,.0f}** | {side['appliedSeconds']:.1f} s |")
    lines.append("")
    if "before" in rates and "after" in rates:
        lines.append(f"Group commit over one transaction per write: **{rates['after'] / rates['before']:.1f}×** "
                     "the applied rate.")
    if "after" in rates and "batched" in rates:
        lines.append(f"Posting in arrays over posting one by one: **{rates['batched'] / rates['after']:.2f}×** "
                     "the applied rate.")
    best = "batched" if "batched" in rates else "after"
    if best in rates:
        lines.append(f"Target ≥ 5,000 applied/s across {apply[best]['instances']:,} instances: "
                     f"{verdict(rates[best] >= 5000)} ({rates[best]:,.0f}/s, {best}).")


def markdown(figures, options) -> str:
    parts = [
        ("reads", "**(a) Cached interface reads, one node** (wrk, 127.0.0.1, same machine as the nodes):", reads_table),
        ("latency", "**(b) Attestation to applied, all three hosts** (one at a time, entry node rotating):",
         latency_table),
        ("failover", f"**(c) Failover** (anchor `--lease-term {options.lease_term}`):", failover_lines),
        ("apply", "**(d) Attestations applied per second, one node, journal durable:**", apply_lines),
    ]
    lines = []
    for key, heading, write in parts:
        if key in figures:
            lines += [heading, ""]
            write(figures[key], lines)
            lines.append("")
    return "\n".join(lines)
