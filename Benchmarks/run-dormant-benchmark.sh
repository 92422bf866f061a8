#!/usr/bin/env bash
# Issue 12: a node with 10,000, 100,000 and 1,000,000 dormant flight tickets at rest in its store. Builds the sandbox
# worker and the benchmarks in release mode, fills one store per size (`tokenscript-benchmarks dormant-load`:
# InstanceHost.createResting, about 2 minutes for the million), then, round by round with the sizes in an order that
# rotates, measures each store in a fresh process (`dormant-measure`): the memory after the host started, the cold
# reads (a ticket at rest reinstated from the store by a read) and warm reads of the same tickets. The reference, in
# the same rounds: the 10,000-ticket store with every ticket read into memory. Prints the table and rewrites the
# "Lifecycle: dormant instances at rest" section of BENCHMARKS.md (only that section).
#
#   Benchmarks/run-dormant-benchmark.sh                   # 10k, 100k, 1M; 3 rounds; updates BENCHMARKS.md
#   SIZES="10000 100000" ROUNDS=1 NO_UPDATE=1 Benchmarks/run-dormant-benchmark.sh
#
# Environment: SIZES, ROUNDS (3), READS (2000 cold reads per measure), STORES (a directory to keep the stores in,
# reused when their size matches; default: a temporary one), RESULTS (only write the report, from the JSON lines
# of an earlier run), SWIFT, NO_BUILD, NO_UPDATE, SCRATCH, WORKER_SCRATCH, MACHINE_NOTE.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
scratch="${SCRATCH:-$here/.build-bench}"
worker_scratch="${WORKER_SCRATCH:-$here/.build-worker}"
benchmarks_md="$root/BENCHMARKS.md"
sizes="${SIZES:-10000 100000 1000000}"
rounds="${ROUNDS:-3}"
reads="${READS:-2000}"

# shellcheck source=Benchmarks/lib.sh
source "$here/lib.sh"
swift="$(benchmark_swift)"

if [[ -z "${NO_BUILD:-}" ]]; then
    "$swift" build -c release --package-path "$root" --scratch-path "$worker_scratch" --product tokenscript-lua-worker
    "$swift" build -c release --package-path "$here" --scratch-path "$scratch"
fi
bin="$scratch/release/tokenscript-benchmarks"
export TOKENSCRIPT_LUA_WORKER="$worker_scratch/release/tokenscript-lua-worker"
[[ -x "$bin" ]] || { echo "no benchmark binary at $bin" >&2; exit 1; }
[[ -x "$TOKENSCRIPT_LUA_WORKER" ]] || { echo "no sandbox worker at $TOKENSCRIPT_LUA_WORKER" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
stores="${STORES:-$work/stores}"
mkdir -p "$stores"

results="$work/results.jsonl"
if [[ -n "${RESULTS:-}" ]]; then
    # Only the report: the figures of an earlier run.
    cp "$RESULTS" "$results"
    sizes=""
    rounds=0
fi

for size in $sizes; do
    store="$stores/dormant-$size.sqlite"
    if [[ -f "$store" && -f "$store.loaded" ]]; then
        echo "store of $size tickets: kept from an earlier run ($store)" >&2
        continue
    fi
    rm -f "$store" "$store-wal" "$store-shm"
    echo "loading $size tickets at rest into $store" >&2
    start=$(date +%s)
    "$bin" dormant-load --store "$store" --count "$size"
    echo "$(( $(date +%s) - start ))" >"$store.loaded"
done

[[ -z "${RESULTS:-}" ]] && : >"$results"
read -r -a order <<<"$sizes"
for ((round = 1; round <= rounds; round++)); do
    # Rotate the order each round, and measure the all-in-memory reference among the sizes.
    sides=("${order[@]}" reference)
    shift_by=$(( (round - 1) % ${#sides[@]} ))
    rotated=("${sides[@]:$shift_by}" "${sides[@]:0:$shift_by}")
    for side in "${rotated[@]}"; do
        size="$side"
        flags=()
        if [[ "$side" == reference ]]; then
            size="${order[0]}"
            flags=(--wake-all)
            echo "round $round: $size tickets, all read into memory (reference)" >&2
        else
            echo "round $round: $side tickets at rest" >&2
        fi
        # A read reinstates a ticket for good: every measurement gets its own copy of the loaded store.
        copy="$work/measured.sqlite"
        rm -f "$copy" "$copy-wal" "$copy-shm"
        for suffix in "" -wal -shm; do
            [[ -f "$stores/dormant-$size.sqlite$suffix" ]] && cp "$stores/dormant-$size.sqlite$suffix" "$copy$suffix"
        done
        line="$("$bin" dormant-measure --store "$copy" --count "$size" --reads "$reads" "${flags[@]}")"
        rm -f "$copy" "$copy-wal" "$copy-shm"
        echo "$line" >>"$results"
    done
done
[[ -z "${RESULTS:-}" ]] && cp "$results" "$scratch/dormant-latest.jsonl"
echo "JSON lines: $scratch/dormant-latest.jsonl" >&2

python3 - "$results" "$stores" "$work/figures.md" "$reads" <<'PY'
import json, os, statistics, sys
results, stores, out, reads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [json.loads(line) for line in open(results) if line.strip()]
def median(values): return statistics.median(values) if values else float("nan")
def mib(kib): return kib / 1024
lines = [f"| tickets at rest | store on disk | load | node start (recover) | memory after start (VmRSS) "
         f"| after {reads:,} cold reads | cold read p50 | cold read p99 | warm read p50 |",
         "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
sizes = sorted({r["count"] for r in rows if not r["wokeAll"]})
for size in sizes:
    mine = [r for r in rows if r["count"] == size and not r["wokeAll"]]
    path = os.path.join(stores, f"dormant-{size}.sqlite")
    disk = os.path.getsize(path) / 2**20 if os.path.exists(path) else float("nan")
    loaded = open(path + ".loaded").read().strip() if os.path.exists(path + ".loaded") else "?"
    lines.append(
        f"| {size:,} | {disk:,.0f} MiB | {loaded} s | {median([r['recoverSeconds'] for r in mine]) * 1000:,.0f} ms "
        f"| {mib(median([r['rssAfterStartKiB'] for r in mine])):.1f} MiB "
        f"| {mib(median([r['rssAfterReadsKiB'] for r in mine])):.1f} MiB "
        f"| {median([r['coldP50Microseconds'] for r in mine]) / 1000:.2f} ms "
        f"| {median([r['coldP99Microseconds'] for r in mine]) / 1000:.2f} ms "
        f"| {median([r['warmP50Microseconds'] for r in mine]):.1f} µs |")
reference = [r for r in rows if r["wokeAll"]]
text = "\n".join(lines) + "\n"
if reference:
    size = reference[0]["count"]
    start = median([r["rssAfterStartKiB"] for r in reference])
    woke = median([r["rssAfterWakingAllKiB"] for r in reference])
    text += (f"\nReference, same rounds: the {size:,}-ticket store with every ticket read into memory takes "
             f"{mib(woke):.1f} MiB against {mib(start):.1f} MiB at rest, about {(woke - start) / size:.1f} KiB per "
             f"ticket in memory; at that rate a million tickets in memory would need about "
             f"{(woke - start) / size * 1_000_000 / 2**20:.1f} GiB.\n")
smallest = [r for r in rows if r["count"] == sizes[0] and not r["wokeAll"]] if sizes else []
largest = [r for r in rows if r["count"] == sizes[-1] and not r["wokeAll"]] if sizes else []
if smallest and largest and len(sizes) > 1:
    text += (f"\nRatios, {sizes[-1]:,} against {sizes[0]:,} tickets at rest (flat is 1.0): memory after start "
             f"{median([r['rssAfterStartKiB'] for r in largest]) / median([r['rssAfterStartKiB'] for r in smallest]):.2f}×, "
             f"cold read p50 {median([r['coldP50Microseconds'] for r in largest]) / median([r['coldP50Microseconds'] for r in smallest]):.2f}×, "
             f"p99 {median([r['coldP99Microseconds'] for r in largest]) / median([r['coldP99Microseconds'] for r in smallest]):.2f}×.\n")
rounds = len(largest)
text += f"\nMedians over {rounds} rounds; each figure comes from a fresh process.\n"
open(out, "w").write(text)
print(text)
PY

[[ -n "${NO_UPDATE:-}" ]] && exit 0

cpu_model="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
# The date of the measurements: now, or the earlier run's file.
date_utc="$(date -u ${RESULTS:+-r "$RESULTS"} '+%Y-%m-%d %H:%M UTC')"
{
    echo "<!-- BEGIN dormant-benchmark: generated by Benchmarks/run-dormant-benchmark.sh, edit the script, not this section -->"
    echo "### Lifecycle: dormant instances at rest (issue 12)"
    echo
    echo "A node keeps dormant instances only in its store (\`InstanceHost+Lifecycle\`): what its memory and its first"
    echo "read of such an instance cost as the store grows. Each store holds N flight tickets in their dormant \`booked\`"
    echo "state, created at rest (\`InstanceHost.createResting\`: creation record, journal header, row, topic index);"
    echo "each measurement starts a node's host over it in a fresh process (\`recover\`, which reopens nothing at rest),"
    echo "reads its memory (VmRSS), then reads $(python3 -c "print(f'{$reads:,}')") random tickets cold (each reinstated from the store: its row, its"
    echo "creation record, its journal opened and verified, the rest mark removed in a durable write) and the same"
    echo "tickets again warm, each measurement on a fresh copy of the loaded store (a read reinstates for good). Run it:"
    echo "\`Benchmarks/run-dormant-benchmark.sh\` (about ten minutes plus the build, most of it loading the million;"
    echo "\`NO_UPDATE=1\` to leave this file alone, \`STORES=DIR\` to keep the stores)."
    echo
    echo "Machine: $(nproc) CPUs (nproc), ${cpu_model:-unknown}.${MACHINE_NOTE:+ ${MACHINE_NOTE}} Date: ${date_utc}."
    echo
    cat "$work/figures.md"
    echo
    echo "What sets the figures: a cold read costs the reads of the ticket's row, its creation record and its journal"
    echo "(each line's Ed25519 signature checked, on opening and again on loading the entries) and the durable write"
    echo "that removes its rest mark; none of it depends on how many tickets rest. The node's start grows with the store"
    echo "(a quarter of a second at a million): \`recover\` lists the instances not at rest by probing the rest marks"
    echo "for every row. A ticket in memory costs about 20 KiB (its journal handle, coordinator, order follower and"
    echo "subscription), which is what resting saves."
    echo "<!-- END dormant-benchmark -->"
} >"$work/section.md"
write_benchmark_section dormant-benchmark "$work/section.md" "$benchmarks_md"
