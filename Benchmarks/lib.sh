# Shared by the Benchmarks/run-*.sh scripts (sourced, not run): finding swift, and rewriting one
# section of BENCHMARKS.md between its BEGIN/END markers while keeping the rest of the file.

# Prints the swift to use: $SWIFT, else the one on PATH, else the toolchain's default location.
benchmark_swift() {
    if [[ -n "${SWIFT:-}" ]]; then echo "$SWIFT"
    elif command -v swift >/dev/null 2>&1; then command -v swift
    else echo /opt/swift/usr/bin/swift
    fi
}

# write_benchmark_section NAME SECTION_FILE BENCHMARKS_MD
# Replaces the block from "<!-- BEGIN NAME" to "<!-- END NAME -->" with SECTION_FILE (which carries
# both markers), appends it when absent, and creates BENCHMARKS_MD with its introduction when missing.
write_benchmark_section() {
    local name="$1" section="$2" benchmarks_md="$3"
    local begin="<!-- BEGIN $name" end="<!-- END $name -->" rewritten
    if [[ ! -f "$benchmarks_md" ]]; then
        cat >"$benchmarks_md" <<'INTRO'
# Benchmarks

Every benchmark here runs our code and the reference it is judged against **side by side in one run**, on the same
machine and the same inputs: after a warm-up, each round runs every side once, in an order that rotates from round
to round, so a noisy neighbour or a frequency change hits both sides alike. Figures are the median and the 10th and
90th percentiles over rounds; the ratio to the reference is the number to watch, not the absolute times.
The benchmark code is a separate SwiftPM package in `Benchmarks/` (depending on the root package by path, built with
its own scratch path so it never disturbs the main build); each section says how to reproduce it, and each script
rewrites only its own section, between its `BEGIN`/`END` markers.

INTRO
    fi
    rewritten="$(mktemp)"
    if grep -qF "$begin" "$benchmarks_md"; then
        awk -v begin="$begin" -v end="$end" -v section="$section" '
            index($0, begin) == 1 { while ((getline line < section) > 0) print line; skipping = 1; next }
            skipping && index($0, end) == 1 { skipping = 0; next }
            !skipping { print }
        ' "$benchmarks_md" >"$rewritten"
    else
        { cat "$benchmarks_md"; echo; cat "$section"; } >"$rewritten"
    fi
    cat "$rewritten" >"$benchmarks_md"
    rm -f "$rewritten"
    echo "updated $benchmarks_md" >&2
}
