import Foundation

/// Per-step times in microseconds: median and the tail.
struct StepStatistics: Codable, Sendable {
    var count: Int
    var p50Us: Double
    var p90Us: Double
    var p99Us: Double
    var meanUs: Double
    var maxUs: Double

    init(seconds samples: [Double]) {
        precondition(!samples.isEmpty, "no samples")
        let sorted = samples.sorted()
        count = sorted.count
        p50Us = Summary.quantile(sorted, 0.5) * 1e6
        p90Us = Summary.quantile(sorted, 0.9) * 1e6
        p99Us = Summary.quantile(sorted, 0.99) * 1e6
        meanUs = sorted.reduce(0, +) / Double(sorted.count) * 1e6
        maxUs = sorted.last! * 1e6
    }
}

struct StepSideResult: Codable, Sendable {
    var id: String
    var label: String
    var stepsPerRound: Int
    /// Every step of every measured round.
    var perStep: StepStatistics
    /// Steps / wall time of each round's run.
    var attestationsPerSecond: [Double]

    var medianRate: Double { Summary.median(attestationsPerSecond) }
}

struct ManySideResult: Codable, Sendable {
    var id: String
    var label: String
    var instances: Int
    var perInstance: Int
    var width: Int
    /// Per round.
    var attestationsPerSecond: [Double]
    var seconds: [Double]

    var medianRate: Double { Summary.median(attestationsPerSecond) }
}

struct EngineReport: Codable, Sendable {
    var machine: EvalMachine
    var definitionID: String
    var tokenScript: String
    var rounds: Int
    var poolSize: Int
    var width: Int
    /// The state every single-instance side ended in, every round.
    var finalStateHash: String
    var signedAttestations: Int
    var signingMicroseconds: Double
    var steps: [StepSideResult]
    var many: [ManySideResult]
    var verify: StepStatistics
    var ed25519: StepStatistics

    func step(_ id: String) -> StepSideResult? { steps.first { $0.id == id } }
}

private func column(_ text: String, _ width: Int, right: Bool = false) -> String {
    let gap = max(0, width - text.count)
    return right ? String(repeating: " ", count: gap) + text : text + String(repeating: " ", count: gap)
}

/// Microseconds: one decimal below 100 µs.
func formatUs(_ microseconds: Double) -> String {
    microseconds < 100 ? format(microseconds, 1) + " µs" : format(microseconds, 0) + " µs"
}

func formatSignedUs(_ microseconds: Double) -> String {
    (microseconds >= 0 ? "+" : "−") + formatUs(abs(microseconds))
}

func formatSignedPercent(_ percent: Double) -> String {
    (percent >= 0 ? "+" : "−") + format(abs(percent), 1) + " %"
}

extension EngineReport {
    /// Extra time per step over (a), as p50 difference, and the throughput ratio.
    func cost(_ id: String, over base: String = "apply") -> (p50Us: Double, rateRatio: Double)? {
        guard let side = step(id), let reference = step(base) else { return nil }
        return (side.perStep.p50Us - reference.perStep.p50Us, reference.medianRate / side.medianRate)
    }

    func table() -> String {
        var lines: [String] = []
        lines.append(
            "engine: \(definitionID), pool of \(poolSize), \(rounds) rounds; \(machine.processors) CPUs, \(machine.cpuModel)")
        lines.append("")
        lines.append(
            column("one instance", 52) + column("att/s p50", 11, right: true) + column("step p50", 11, right: true)
                + column("step p90", 11, right: true) + column("step p99", 11, right: true) + column("vs (a)", 10, right: true))
        for side in steps {
            let ratio = cost(side.id).map { formatRatio($0.rateRatio) } ?? ""
            lines.append(
                column(side.label.replacingOccurrences(of: "`", with: ""), 52) + column(formatRate(side.medianRate), 11, right: true)
                    + column(formatUs(side.perStep.p50Us), 11, right: true) + column(formatUs(side.perStep.p90Us), 11, right: true)
                    + column(formatUs(side.perStep.p99Us), 11, right: true) + column(ratio, 10, right: true))
        }
        lines.append("")
        lines.append(column("many instances", 84) + column("att/s p50", 11, right: true) + column("min", 9, right: true) + column("max", 9, right: true))
        for side in many {
            lines.append(
                column("\(side.label.replacingOccurrences(of: "`", with: "")) (\(side.instances) × \(side.perInstance), width \(side.width))", 84)
                    + column(formatRate(side.medianRate), 11, right: true)
                    + column(formatRate(side.attestationsPerSecond.min()!), 9, right: true)
                    + column(formatRate(side.attestationsPerSecond.max()!), 9, right: true))
        }
        lines.append("")
        lines.append("AttestationVerifier.verify: p50 \(formatUs(verify.p50Us)), p99 \(formatUs(verify.p99Us)) (\(verify.count) checks)")
        lines.append("Ed25519 isValidSignature alone: p50 \(formatUs(ed25519.p50Us)), p99 \(formatUs(ed25519.p99Us))")
        lines.append("signing (outside the timing): \(format(signingMicroseconds, 1)) µs per attestation, \(signedAttestations) attestations")
        return lines.joined(separator: "\n")
    }

    func markdown() -> String {
        var lines: [String] = []
        lines.append("**One instance**: \(steps.first?.stepsPerRound ?? 0) attestations applied in order per side and round,")
        lines.append("\(rounds) rounds. Attestations per second is the steps over the wall time of each run (median over rounds);")
        lines.append("the step times are pooled over all rounds (\(steps.first?.perStep.count ?? 0) steps per side). Every side ended")
        lines.append("every round in the same state hash (`\(finalStateHash.prefix(16))…`).")
        lines.append("")
        lines.append("| side | attestations/s | step p50 | step p90 | step p99 | p50 over (a) | throughput (a) / side |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for side in steps {
            let extra = side.id == "apply" ? "—" : cost(side.id).map { formatSignedUs($0.p50Us) } ?? ""
            let ratio = side.id == "apply" ? "1.00×" : cost(side.id).map { formatRatio($0.rateRatio) } ?? ""
            lines.append(
                "| \(side.label) | \(formatRate(side.medianRate)) | \(formatUs(side.perStep.p50Us)) | "
                    + "\(formatUs(side.perStep.p90Us)) | \(formatUs(side.perStep.p99Us)) | \(extra) | \(ratio) |")
        }
        lines.append(
            "| (e) `AttestationVerifier.verify` alone | \(formatRate(1e6 / verify.p50Us)) (1 / p50) | \(formatUs(verify.p50Us)) | "
                + "\(formatUs(verify.p90Us)) | \(formatUs(verify.p99Us)) | | |")
        lines.append(
            "| (e) Ed25519 `isValidSignature` alone | \(formatRate(1e6 / ed25519.p50Us)) (1 / p50) | \(formatUs(ed25519.p50Us)) | "
                + "\(formatUs(ed25519.p90Us)) | \(formatUs(ed25519.p99Us)) | | |")
        lines.append("")
        if let first = many.first {
            lines.append(
                "**Many instances**: \(first.instances) instances, each its own `JournaledInstance` (made before the clock")
            lines.append(
                "starts), its attestations delivered in order; at most \(first.width) instances in flight (a task group of bounded")
            lines.append("width) over the pool's \(poolSize) workers. One figure per round; median, min and max over \(rounds) rounds.")
            lines.append("")
            lines.append("| side | attestations | attestations/s (median) | min | max | time (median) |")
            lines.append("|---|---:|---:|---:|---:|---:|")
            for side in many {
                let total = side.id == "many-sandbox-bare" ? side.instances : side.instances * side.perInstance
                lines.append(
                    "| \(side.label) | \(total) | \(formatRate(side.medianRate)) | \(formatRate(side.attestationsPerSecond.min()!)) | "
                        + "\(formatRate(side.attestationsPerSecond.max()!)) | \(format(Summary.median(side.seconds), 2)) s |")
            }
            lines.append("")
        }
        lines.append("**Ratios**")
        lines.append("")
        if let apply = step("apply") {
            if let bare = step("sandbox-bare") {
                let overhead = apply.perStep.p50Us - bare.perStep.p50Us
                lines.append(
                    "* The engine over the bare sandbox round trip: \(formatSignedUs(overhead)) per step at p50 "
                        + "(\(formatRatio(apply.perStep.p50Us / bare.perStep.p50Us)) the bare step); the sandbox round trip is "
                        + "\(format(bare.perStep.p50Us / apply.perStep.p50Us * 100, 0)) % of a step.")
            }
            lines.append(
                "* Signature verification (`AttestationVerifier.verify`) is \(format(verify.p50Us / apply.perStep.p50Us * 100, 1)) % "
                    + "of a step at p50; Ed25519 alone \(format(ed25519.p50Us / apply.perStep.p50Us * 100, 1)) %.")
            for id in ["journal-memory", "journal-memory-signed", "journal-file"] {
                guard let side = step(id), let cost = cost(id) else { continue }
                lines.append(
                    "* \(side.label): \(formatSignedUs(cost.p50Us)) per step at p50 "
                        + "(\(formatSignedPercent((side.perStep.p50Us / apply.perStep.p50Us - 1) * 100))); throughput (a) / side "
                        + "\(formatRatio(cost.rateRatio)).")
            }
            if let memory = step("journal-memory"), let file = step("journal-file") {
                lines.append(
                    "* **In-memory store vs file store**: `FileJournalStore` adds "
                        + "\(formatSignedUs(file.perStep.p50Us - memory.perStep.p50Us)) per step at p50 over "
                        + "`InMemoryJournalStore` "
                        + "(\(formatRatio(file.perStep.p50Us / memory.perStep.p50Us)) the step); "
                        + "throughput memory / file \(formatRatio(memory.medianRate / file.medianRate)).")
            }
            for side in many where side.id != "many-sandbox-bare" {
                lines.append(
                    "* \(side.instances) instances × \(side.perInstance) over one instance in order (b): "
                        + "\(formatRatio(side.medianRate / (step("journal-memory")?.medianRate ?? apply.medianRate))) the throughput; "
                        + (many.first { $0.id == "many-sandbox-bare" }.map {
                            "\(format(side.medianRate / $0.medianRate * 100, 0)) % of the bare sandbox at the same width."
                        } ?? ""))
            }
        }
        lines.append(
            "* Signing (outside every timing): \(format(signingMicroseconds, 1)) µs per attestation, "
                + "\(signedAttestations) attestations.")
        return lines.joined(separator: "\n")
    }
}
