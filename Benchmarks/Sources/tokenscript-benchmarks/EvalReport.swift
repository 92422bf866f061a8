import Foundation

struct EvalReport: Codable, Sendable {
    var date: String
    var machine: EvalMachine
    var node: NodeInfo
    var tokenScript: String
    var token: String
    var tokenId: String
    /// The values of the checked first evaluation (all equal to the manifest's).
    var attributes: [EvaluatedAttributeInfo]
    var ethCallAttributes: Int
    /// Measured by counting what reached the client, in every measured evaluation.
    var ethCallsPerColdEvaluation: Int
    var ethCallsPerWarmEvaluation: Int
    /// The selectors of those calls.
    var coldCalls: [String]
    var rounds: Int
    var warmupRounds: Int
    var sides: [EvalSide]
    /// The median of every sequential `eth_call` of the run.
    var ethCallP50Ms: Double
    /// `ethCallsPerColdEvaluation × ethCallP50Ms`: the calls one after another, nothing else.
    var sequentialLimitMs: Double
    var ratios: [EvalRatio]
    /// The cold median is below the sequential sum of its calls (they overlap).
    var coldBeatsSequentialSum: Bool
}

struct NodeInfo: Codable, Sendable {
    var rpcUrl: String
    var chainId: UInt64
    var pinnedBlock: UInt64
    var headAtStart: UInt64
    var ticketContract: String
    var versions: [String: String]
}

struct EvaluatedAttributeInfo: Codable, Sendable {
    var name: String
    var origin: String
    var value: String
}

struct EvalSide: Codable, Sendable {
    var id: String
    var label: String
    var what: String
    var samplesPerRound: Int
    /// Time per sample (one evaluation, one call, or one set of calls).
    var summary: Summary
    /// For evaluations: attributes per second.
    var attributesPerSecond: Throughput?
    var samplesMs: [Double]
}

/// Attributes per second, from each sample (so p10 is the slow end: it comes from the 90th percentile of time).
struct Throughput: Codable, Sendable {
    var median: Double
    var p10: Double
    var p90: Double

    init(attributes: Int, seconds: [Double]) {
        let rates = seconds.map { Double(attributes) / $0 }.sorted()
        median = Summary.quantile(rates, 0.5)
        p10 = Summary.quantile(rates, 0.1)
        p90 = Summary.quantile(rates, 0.9)
    }
}

struct EvalRatio: Codable, Sendable {
    var id: String
    var label: String
    var ofMedians: Double
    /// The median over rounds of the ratio of the two sides' medians within the round.
    var medianOfPairedRounds: Double
}

struct EvalMachine: Codable, Sendable {
    var processors: Int
    var cpuModel: String
    var os: String

    static func current() -> EvalMachine {
        let model =
            wholeText("/proc/cpuinfo").split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) }
            ?? "unknown"
        let os =
            wholeText("/etc/os-release").split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            ?? "unknown"
        return EvalMachine(processors: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model, os: os)
    }
}

/// The whole of a text file, read to its end (procfs files report a size of 0).
private func wholeText(_ path: String) -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
    defer { try? handle.close() }
    return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
}

// MARK: - Rendering

private func column(_ text: String, _ width: Int, right: Bool = false) -> String {
    let gap = max(0, width - text.count)
    return right ? String(repeating: " ", count: gap) + text : text + String(repeating: " ", count: gap)
}

/// Milliseconds with enough digits for both a 40 µs warm evaluation and a 20 ms cold one.
func formatMs(_ milliseconds: Double) -> String {
    milliseconds < 1 ? format(milliseconds, 3) + " ms" : format(milliseconds, 2) + " ms"
}

/// A ratio with two significant digits below 0.1 (a warm evaluation is a small fraction of one call).
func formatRatio(_ ratio: Double) -> String {
    (ratio < 0.1 ? String(format: "%.3f", ratio) : format(ratio)) + "×"
}

func formatRate(_ rate: Double) -> String {
    rate >= 10_000 ? format(rate, 0) : rate >= 100 ? format(rate, 0) : format(rate, 1)
}

extension EvalReport {
    func side(_ id: String) -> EvalSide? { sides.first { $0.id == id } }
    func ratio(_ id: String) -> EvalRatio? { ratios.first { $0.id == id } }

    var attributeCount: Int { attributes.count }

    /// The cold figure against the node's limit: whether it beats the sequential sum of its calls, and by how much it
    /// exceeds the floor of perfectly overlapped calls. Within 10 % of the sum counts as level (the run's noise).
    var verdict: String {
        guard let cold = side("cold"), let oneCall = ratio("cold/one-call"), let sequential = ratio("cold/sequential-limit"),
            let concurrentRaw = side("raw-concurrent"), let sequentialRaw = side("raw-sequential"),
            let overConcurrent = ratio("cold/raw-concurrent"), let overSequential = ratio("cold/raw-sequential")
        else { return "" }
        let n = ethCallsPerColdEvaluation
        let relation =
            sequential.ofMedians < 0.9
            ? "it **beats** the sequential sum: its concurrent calls overlap"
            : sequential.ofMedians > 1.1
                ? "it does **not** beat the sequential sum, although the evaluator issues its independent calls concurrently"
                : "it is **level with** the sequential sum (within 10 %): the evaluator issues its independent calls "
                    + "concurrently, but they gain next to nothing"
        let serialized = concurrentRaw.summary.medianMs / sequentialRaw.summary.medianMs
        return "A cold evaluation (\(formatMs(cold.summary.medianMs))) takes \(formatRatio(sequential.ofMedians)) the "
            + "sequential sum of its \(n) eth_calls (\(n) × \(formatMs(ethCallP50Ms)) = \(formatMs(sequentialLimitMs))): "
            + "\(relation). Against the \(n) calls it actually makes, made directly one after another "
            + "(\(formatMs(sequentialRaw.summary.medianMs))), it takes \(formatRatio(overSequential.ofMedians)); made "
            + "directly and concurrently they take \(formatMs(concurrentRaw.summary.medianMs)) "
            + "(\(formatRatio(serialized)) the sequential run), and the evaluator takes \(formatRatio(overConcurrent.ofMedians)) "
            + "that. It takes \(formatRatio(oneCall.ofMedians)) one eth_call, the floor if all \(n) calls overlapped perfectly."
    }

    func table() -> String {
        var lines: [String] = []
        lines.append("Node: \(node.rpcUrl), chain \(node.chainId), pinned to block \(node.pinnedBlock); Ticket \(node.ticketContract)")
        lines.append("TokenScript: \(tokenScript); ticket '\(token)' \(tokenId)")
        lines.append(
            "Attributes: \(attributeCount) (\(ethCallAttributes) ethereum:call, \(attributeCount - ethCallAttributes) other); "
                + "eth_calls per cold evaluation: \(ethCallsPerColdEvaluation) (\(coldCalls.joined(separator: " "))), per warm: "
                + "\(ethCallsPerWarmEvaluation)")
        for attribute in attributes {
            lines.append("  \(column(attribute.name, 14)) \(column(attribute.origin, 14)) \(attribute.value)")
        }
        lines.append("Machine: \(machine.processors) CPUs, \(machine.cpuModel); \(machine.os)")
        lines.append("Rounds: \(rounds) after \(warmupRounds) warm-up, interleaved (every side once per round, order rotated)")
        lines.append("")
        lines.append(
            column("per sample", 46) + column("n/round", 8, right: true) + column("median", 12, right: true)
                + column("p10", 12, right: true) + column("p90", 12, right: true) + column("attr/s med", 12, right: true)
                + column("p10", 10, right: true) + column("p90", 10, right: true))
        for side in sides {
            let rate = side.attributesPerSecond
            lines.append(
                column(side.label, 46) + column(String(side.samplesPerRound), 8, right: true)
                    + column(formatMs(side.summary.medianMs), 12, right: true)
                    + column(formatMs(side.summary.p10Ms), 12, right: true)
                    + column(formatMs(side.summary.p90Ms), 12, right: true)
                    + column(rate.map { formatRate($0.median) } ?? "-", 12, right: true)
                    + column(rate.map { formatRate($0.p10) } ?? "-", 10, right: true)
                    + column(rate.map { formatRate($0.p90) } ?? "-", 10, right: true))
        }
        lines.append("")
        lines.append(
            "eth_call p50 \(formatMs(ethCallP50Ms)); sequential limit \(ethCallsPerColdEvaluation) × p50 = \(formatMs(sequentialLimitMs))")
        for ratio in ratios {
            lines.append(
                column(ratio.label, 50) + " \(formatRatio(ratio.ofMedians))   (median of per-round ratios: "
                    + "\(formatRatio(ratio.medianOfPairedRounds)))")
        }
        lines.append("")
        lines.append(verdict.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "×", with: "x"))
        return lines.joined(separator: "\n")
    }

    /// The figures for BENCHMARKS.md (the prose around them is written by run-eval-benchmark.sh).
    func markdown() -> String {
        var lines: [String] = []
        lines.append(
            "Token: ticket `\(token)` (`\(tokenId)`) on the node's `Ticket` contract, block \(node.pinnedBlock); "
                + "\(attributeCount) attributes: \(ethCallAttributes) `ethereum:call` ("
                + attributes.filter { $0.origin == "ethereum:call" }.map { "`\($0.name)`" }.joined(separator: ", ")
                + ") and \(attributeCount - ethCallAttributes) `ts:token-id` fields ("
                + attributes.filter { $0.origin != "ethereum:call" }.map { "`\($0.name)`" }.joined(separator: ", ")
                + "); every value checked against the node's manifest. "
                + "Eth_calls per evaluation, counted at the client: **\(ethCallsPerColdEvaluation) cold, "
                + "\(ethCallsPerWarmEvaluation) warm**. \(rounds) rounds after \(warmupRounds) warm-up rounds, every side "
                + "once per round in rotating order.")
        lines.append("")
        lines.append("| per sample | samples | median | p10 | p90 | attributes/s (median) | attributes/s p10 | attributes/s p90 |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for side in sides {
            let rate = side.attributesPerSecond
            let label = side.id == "cold" || side.id == "warm" ? "**\(side.label)**" : side.label
            let median = rate.map { side.id == "cold" || side.id == "warm" ? "**\(formatRate($0.median))**" : formatRate($0.median) }
            lines.append(
                "| \(label) | \(side.summary.count) | \(formatMs(side.summary.medianMs)) | \(formatMs(side.summary.p10Ms)) | "
                    + "\(formatMs(side.summary.p90Ms)) | \(median ?? "–") | \(rate.map { formatRate($0.p10) } ?? "–") | "
                    + "\(rate.map { formatRate($0.p90) } ?? "–") |")
        }
        lines.append("")
        lines.append(
            "The node's own `eth_call` latency in this run: **p50 \(formatMs(ethCallP50Ms))**, so \(ethCallsPerColdEvaluation) "
                + "calls one after another take \(formatMs(sequentialLimitMs)).")
        lines.append("")
        lines.append("| ratio | of medians | median of per-round ratios |")
        lines.append("|---|---:|---:|")
        for ratio in ratios {
            let headline = ratio.id == "cold/sequential-limit" || ratio.id == "cold/one-call"
            let value = headline ? "**\(formatRatio(ratio.ofMedians))**" : formatRatio(ratio.ofMedians)
            lines.append("| \(ratio.label) | \(value) | \(formatRatio(ratio.medianOfPairedRounds)) |")
        }
        lines.append("")
        lines.append(verdict)
        return lines.joined(separator: "\n")
    }
}
