import Foundation

struct ParseReport: Codable {
    var date: String
    var machine: Machine
    var corpus: CorpusInfo
    var rounds: Int
    var warmupRounds: Int
    var perFileRounds: Int
    var corpusSides: [SideResult]
    /// Ours (one thread) over each xmllint variant; the first is the issue's headline comparison.
    var ratios: [Ratio]
    var target: Double
    var meetsTarget: Bool
    var perFile: [PerFileResult]
    var refusedByOurReader: [RefusedFile]
}

struct CorpusInfo: Codable {
    var directory: String
    var files: Int
    var bytes: Int
}

struct SideResult: Codable {
    var id: String
    var label: String
    var command: String
    var summary: Summary
    var megabytesPerSecond: Double
    var samplesMs: [Double]
}

struct Ratio: Codable {
    var against: String
    /// median(ours) / median(xmllint).
    var ofMedians: Double
    /// The median over rounds of ours/xmllint within the same round (robust to slow phases of a noisy machine).
    var medianOfPairedRounds: Double
}

struct PerFileResult: Codable {
    var file: String
    var bytes: Int
    var parsesPerSample: Int
    /// Per single parse; xmllint's figures have its process start-up subtracted, then divided by `parsesPerSample`.
    var ours: Summary
    var xmllint: Summary
    var xmllintNoent: Summary
    var ratio: Double
    var ratioNoent: Double
    var oursMegabytesPerSecond: Double
    var xmllintMegabytesPerSecond: Double
}

struct RefusedFile: Codable {
    var file: String
    var firstProblem: String
}

struct Machine: Codable {
    var processors: Int
    var cpuModel: String
    var xmllintVersion: String
    var ourLibxml2: String
    var os: String

    static func current(xmllint: String) -> Machine {
        let cpuinfo = readText("/proc/cpuinfo")
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) }
            ?? "unknown"
        let version =
            captureOutput(xmllint, ["--version"]).split(separator: "\n").first.map(String.init) ?? "unknown"
        // The libxml2 our reader actually runs on: whatever shared object is mapped into this process.
        let maps = readText("/proc/self/maps")
        let libxml =
            maps.split(separator: "\n").compactMap { line -> String? in
                guard let path = line.split(separator: " ", omittingEmptySubsequences: true).last,
                    path.contains("libxml2")
                else { return nil }
                return String(path)
            }.first.map { path in
                let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? path
                return resolved.hasPrefix("/") ? resolved : (path as NSString).deletingLastPathComponent + "/" + resolved
            } ?? "unknown"
        let osRelease = readText("/etc/os-release")
        let os =
            osRelease.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            ?? "unknown"
        return Machine(
            processors: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model, xmllintVersion: version,
            ourLibxml2: libxml, os: os)
    }
}

/// The whole of a text file, read to its end (procfs files report a size of 0).
private func readText(_ path: String) -> String {
    guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
    defer { try? handle.close() }
    return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
}

// MARK: - Rendering

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

func formatBytes(_ bytes: Int) -> String { format(Double(bytes) / 1e6) + " MB" }

private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let gap = max(0, width - text.count)
    return right ? String(repeating: " ", count: gap) + text : text + String(repeating: " ", count: gap)
}

extension ParseReport {
    var headline: Ratio { ratios[0] }

    func table() -> String {
        var lines: [String] = []
        lines.append("Corpus: \(corpus.files) files, \(formatBytes(corpus.bytes)) (\(corpus.directory))")
        lines.append(
            "Machine: \(machine.processors) CPUs, \(machine.cpuModel); \(machine.xmllintVersion); ours links \(machine.ourLibxml2)")
        lines.append(
            "Rounds: \(rounds) after \(warmupRounds) warm-up, interleaved (every side once per round, order rotated)")
        lines.append("")
        lines.append(
            pad("whole corpus, per round", 42) + pad("median", 10, right: true) + pad("p10", 10, right: true)
                + pad("p90", 10, right: true) + pad("MB/s", 9, right: true))
        for side in corpusSides {
            lines.append(
                pad(side.label, 42) + pad(format(side.summary.medianMs) + " ms", 10, right: true)
                    + pad(format(side.summary.p10Ms) + " ms", 10, right: true)
                    + pad(format(side.summary.p90Ms) + " ms", 10, right: true)
                    + pad(side.id == "xmllint-startup" ? "-" : format(side.megabytesPerSecond, 1), 9, right: true))
        }
        lines.append("")
        for ratio in ratios {
            lines.append(
                "ratio ours/\(ratio.against) (median): \(format(ratio.ofMedians))x"
                    + "   (median of per-round ratios: \(format(ratio.medianOfPairedRounds))x)")
        }
        lines.append(
            "target <= \(format(target, 1))x xmllint --noout --nonet: \(meetsTarget ? "MET" : "NOT MET")")
        lines.append("")
        lines.append(
            "largest files, one parse (xmllint: N copies on one command line, start-up subtracted, / N); \(perFileRounds) rounds")
        lines.append(
            pad("file", 44) + pad("size", 10, right: true) + pad("N", 5, right: true) + pad("ours", 11, right: true)
                + pad("xmllint", 11, right: true) + pad("--noent", 11, right: true) + pad("ratio", 8, right: true))
        for row in perFile {
            lines.append(
                pad(shortName(row.file), 44) + pad(formatBytes(row.bytes), 10, right: true)
                    + pad(String(row.parsesPerSample), 5, right: true)
                    + pad(format(row.ours.medianMs) + " ms", 11, right: true)
                    + pad(format(row.xmllint.medianMs) + " ms", 11, right: true)
                    + pad(format(row.xmllintNoent.medianMs) + " ms", 11, right: true)
                    + pad(format(row.ratio) + "x", 8, right: true))
        }
        if !refusedByOurReader.isEmpty {
            lines.append("")
            lines.append("files our reader refuses (timed all the same): \(refusedByOurReader.count)")
            for refused in refusedByOurReader { lines.append("  \(refused.file): \(refused.firstProblem)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The figures for BENCHMARKS.md (the section's prose around them is written by run-parse-benchmark.sh).
    func markdown() -> String {
        var lines: [String] = []
        lines.append(
            "Corpus: \(corpus.files) files, \(formatBytes(corpus.bytes)); \(rounds) rounds after \(warmupRounds) warm-up, "
                + "every side once per round in rotating order. Our reader runs on `\(machine.ourLibxml2)`.")
        lines.append("")
        lines.append("| whole corpus, per round | median | p10 | p90 | MB/s |")
        lines.append("|---|---:|---:|---:|---:|")
        for side in corpusSides {
            lines.append(
                "| \(side.label) | \(format(side.summary.medianMs)) ms | \(format(side.summary.p10Ms)) ms | "
                    + "\(format(side.summary.p90Ms)) ms | \(side.id == "xmllint-startup" ? "–" : format(side.megabytesPerSecond, 1)) |")
        }
        lines.append("")
        lines.append("| ratio ours (1 thread) / … | of medians | median of per-round ratios |")
        lines.append("|---|---:|---:|")
        for ratio in ratios {
            let name = ratio.against == "xmllint" ? "`xmllint --noout --nonet`" : "`xmllint --noout --nonet --noent`"
            lines.append("| \(name) | **\(format(ratio.ofMedians))×** | \(format(ratio.medianOfPairedRounds))× |")
        }
        lines.append("")
        lines.append(
            "**Target ≤ \(format(target, 0))× `xmllint --noout --nonet`: \(meetsTarget ? "met" : "not met") "
                + "(\(format(headline.ofMedians))×).**")
        lines.append("")
        lines.append(
            "The \(perFile.count) largest files, one parse each (median of \(perFileRounds) rounds; xmllint is given the "
                + "file N times on one command line, its start-up time is subtracted and the rest divided by N):")
        lines.append("")
        lines.append("| file | size | N | ours | xmllint | xmllint --noent | ours/xmllint | ours MB/s | xmllint MB/s |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in perFile {
            lines.append(
                "| \(shortName(row.file)) | \(formatBytes(row.bytes)) | \(row.parsesPerSample) | "
                    + "\(format(row.ours.medianMs)) ms | \(format(row.xmllint.medianMs)) ms | "
                    + "\(format(row.xmllintNoent.medianMs)) ms | \(format(row.ratio))× | "
                    + "\(format(row.oursMegabytesPerSecond, 0)) | \(format(row.xmllintMegabytesPerSecond, 0)) |")
        }
        if !refusedByOurReader.isEmpty {
            lines.append("")
            lines.append(
                "Our reader refuses \(refusedByOurReader.count) corpus file(s) (they are timed all the same, as xmllint's "
                    + "failures are): "
                    + refusedByOurReader.map { "`\(shortName($0.file))`" }.joined(separator: ", ") + ".")
        }
        return lines.joined(separator: "\n")
    }
}

/// Corpus names are `owner__repo__path__file`; the last two components are enough in a table.
func shortName(_ file: String) -> String {
    let parts = file.components(separatedBy: "__")
    return parts.count > 2 ? parts.suffix(2).joined(separator: "/") : file
}
