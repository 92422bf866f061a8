import Dispatch
import Foundation
import TokenScriptDocument

/// `tokenscript-benchmarks parse`: our parse+model of the corpus against `xmllint --noout` on the same files, side
/// by side in one run, interleaved round by round.
struct ParseBenchmark {
    struct Options {
        var corpus: String
        var rounds = 30
        var json = false
        var markdownFile: String?
        var jsonFile: String?
        var largestFiles = 5
        var perFileRounds = 10
        /// Bytes each per-file sample should parse, so one sample is long enough to time well.
        var perFileBytesPerSample = 8_000_000
        var concurrent = true
        var xmllint = "xmllint"
    }

    let options: Options
    let files: [CorpusFile]
    let xmllint: String
    let readOptions = TokenScriptReadOptions()

    struct CorpusFile: Codable, Sendable {
        var path: String
        var bytes: Int
        var name: String { (path as NSString).lastPathComponent }
    }

    init(options: Options) throws {
        self.options = options
        guard let xmllint = findExecutable(options.xmllint) else {
            throw BenchmarkError("cannot find '\(options.xmllint)' on PATH (apt-get install libxml2-utils)")
        }
        self.xmllint = xmllint
        files = try Self.collect(directory: options.corpus)
        guard !files.isEmpty else { throw BenchmarkError("no *.xml or *.tsml files in \(options.corpus)") }
    }

    static func collect(directory: String) throws -> [CorpusFile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw BenchmarkError("cannot list corpus directory \(directory): \(error.localizedDescription)")
        }
        return try names.filter { $0.hasSuffix(".xml") || $0.hasSuffix(".tsml") }.sorted().map { name in
            let path = directory + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return CorpusFile(path: path, bytes: (attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    // MARK: - The measured operations

    /// Reads every file in order on this thread. Returns the time and how many files our reader refused.
    func oursSequential(_ files: [CorpusFile], repetitions: Int = 1) -> (seconds: Double, refused: Int) {
        let clock = ContinuousClock()
        var refused = 0
        var sink = 0
        let start = clock.now
        for _ in 0..<repetitions {
            for file in files {
                do {
                    let loaded = try TokenScriptReader.read(file: file.path, options: readOptions)
                    sink &+= loaded.diagnostics.count
                } catch {
                    refused += 1
                }
            }
        }
        let elapsed = clock.now - start
        blackHole(sink)
        return (elapsed.seconds, refused)
    }

    /// Reads every file on all cores (largest first, so the long files do not finish last).
    func oursConcurrent(_ largestFirst: [CorpusFile]) -> Double {
        let clock = ContinuousClock()
        let options = readOptions
        let start = clock.now
        DispatchQueue.concurrentPerform(iterations: largestFirst.count) { index in
            let loaded = try? TokenScriptReader.read(file: largestFirst[index].path, options: options)
            blackHole(loaded?.diagnostics.count ?? 0)
        }
        return (clock.now - start).seconds
    }

    func xmllintCommand(_ paths: [String], noent: Bool) -> TimedCommand {
        TimedCommand(executable: xmllint, arguments: ["--noout", "--nonet"] + (noent ? ["--noent"] : []) + paths)
    }

    // MARK: - Running

    func run() throws -> ParseReport {
        let totalBytes = files.reduce(0) { $0 + $1.bytes }
        let paths = files.map(\.path)
        let plain = xmllintCommand(paths, noent: false)
        let noent = xmllintCommand(paths, noent: true)
        let tiny = try TinyDocument()
        defer { tiny.remove() }
        let startup = xmllintCommand([tiny.path], noent: false)
        let largestFirst = files.sorted { $0.bytes > $1.bytes }

        progress("corpus: \(files.count) files, \(formatBytes(totalBytes)) in \(options.corpus)")
        progress("warming up (one pass of every side) ...")
        let warm = oursSequential(files)
        _ = try plain.run()
        _ = try noent.run()
        _ = try startup.run()
        if options.concurrent { _ = oursConcurrent(largestFirst) }

        // Each round runs every side once; the order rotates so no side always runs first (or last) in a round.
        var sides: [(id: String, measure: () throws -> Double)] = [
            ("ours", { oursSequential(files).seconds }),
            ("xmllint", { try plain.run().seconds }),
            ("xmllint-noent", { try noent.run().seconds }),
            ("xmllint-startup", { try startup.run().seconds }),
        ]
        if options.concurrent { sides.append(("ours-concurrent", { oursConcurrent(largestFirst) })) }
        var samples: [String: [Double]] = [:]
        for round in 0..<options.rounds {
            for offset in 0..<sides.count {
                let side = sides[(round + offset) % sides.count]
                samples[side.id, default: []].append(try side.measure())
            }
            progress("corpus round \(round + 1)/\(options.rounds): ours \(ms(samples["ours"]!.last!)), "
                + "xmllint \(ms(samples["xmllint"]!.last!)), --noent \(ms(samples["xmllint-noent"]!.last!))")
        }

        func run(_ id: String, _ label: String, _ command: String, bytes: Int = totalBytes) -> SideResult {
            let summary = Summary(seconds: samples[id]!)
            return SideResult(
                id: id, label: label, command: command, summary: summary,
                megabytesPerSecond: megabytesPerSecond(bytes: bytes, milliseconds: summary.medianMs),
                samplesMs: samples[id]!.map { $0 * 1000 })
        }
        var corpusSides = [
            run("ours", "ours: parse+model, 1 thread", "TokenScriptReader.read(file:) for each file in turn"),
            run("xmllint", "xmllint --noout --nonet", plain.displayString(abbreviatingFiles: files.count)),
            run("xmllint-noent", "xmllint --noout --nonet --noent", noent.displayString(abbreviatingFiles: files.count)),
        ]
        if options.concurrent {
            corpusSides.append(
                run(
                    "ours-concurrent", "ours: parse+model, \(ProcessInfo.processInfo.activeProcessorCount) threads",
                    "DispatchQueue.concurrentPerform over the files, largest first"))
        }
        corpusSides.append(
            run("xmllint-startup", "xmllint start-up (one tiny file)", "xmllint --noout --nonet <tiny.xml>", bytes: 0))

        let ours = samples["ours"]!
        func ratios(against id: String) -> Ratio {
            let theirs = samples[id]!
            let paired = zip(ours, theirs).map { $0 / $1 }
            return Ratio(
                against: id, ofMedians: Summary.median(ours) / Summary.median(theirs),
                medianOfPairedRounds: Summary.median(paired))
        }
        let corpusRatios = [ratios(against: "xmllint"), ratios(against: "xmllint-noent")]

        let startupMedian = Summary.median(samples["xmllint-startup"]!)
        let perFile = try perFileBreakdown(Array(largestFirst.prefix(options.largestFiles)), startup: startupMedian)

        let refusedFiles = files.compactMap { file -> RefusedFile? in
            do {
                _ = try TokenScriptReader.read(file: file.path, options: readOptions)
                return nil
            } catch let error as TokenScriptReadError {
                return RefusedFile(file: file.name, firstProblem: error.diagnostics.first.map { "\($0)" } ?? "")
            } catch {
                return RefusedFile(file: file.name, firstProblem: "\(error)")
            }
        }
        _ = warm

        return ParseReport(
            date: ISO8601DateFormatter().string(from: Date()),
            machine: Machine.current(xmllint: xmllint),
            corpus: CorpusInfo(directory: options.corpus, files: files.count, bytes: totalBytes),
            rounds: options.rounds, warmupRounds: 1, perFileRounds: options.perFileRounds,
            corpusSides: corpusSides, ratios: corpusRatios, target: 2.0,
            meetsTarget: corpusRatios[0].ofMedians <= 2.0,
            perFile: perFile, refusedByOurReader: refusedFiles)
    }

    /// The largest files one at a time, each parsed many times per sample so process start-up does not dominate:
    /// ours loops in-process; xmllint gets the same file `repetitions` times on one command line.
    func perFileBreakdown(_ largest: [CorpusFile], startup: Double) throws -> [PerFileResult] {
        var results: [PerFileResult] = []
        for (number, file) in largest.enumerated() {
            let repetitions = min(200, max(3, options.perFileBytesPerSample / max(file.bytes, 1)))
            let repeated = Array(repeating: file.path, count: repetitions)
            let plain = xmllintCommand(repeated, noent: false)
            let noent = xmllintCommand(repeated, noent: true)
            // Warm up this file on each side.
            _ = oursSequential([file])
            _ = try plain.run()
            _ = try noent.run()
            let sides: [(id: String, measure: () throws -> Double)] = [
                ("ours", { oursSequential([file], repetitions: repetitions).seconds / Double(repetitions) }),
                ("xmllint", { max(0, try plain.run().seconds - startup) / Double(repetitions) }),
                ("xmllint-noent", { max(0, try noent.run().seconds - startup) / Double(repetitions) }),
            ]
            var samples: [String: [Double]] = [:]
            for round in 0..<options.perFileRounds {
                for offset in 0..<sides.count {
                    let side = sides[(round + offset) % sides.count]
                    samples[side.id, default: []].append(try side.measure())
                }
            }
            let ours = Summary(seconds: samples["ours"]!)
            let theirs = Summary(seconds: samples["xmllint"]!)
            let theirsNoent = Summary(seconds: samples["xmllint-noent"]!)
            progress(
                "per-file \(number + 1)/\(largest.count): \(file.name): ours \(format(ours.medianMs)) ms, "
                    + "xmllint \(format(theirs.medianMs)) ms per parse (\(repetitions) parses per sample)")
            results.append(
                PerFileResult(
                    file: file.name, bytes: file.bytes, parsesPerSample: repetitions, ours: ours, xmllint: theirs,
                    xmllintNoent: theirsNoent,
                    ratio: ours.medianMs / theirs.medianMs, ratioNoent: ours.medianMs / theirsNoent.medianMs,
                    oursMegabytesPerSecond: megabytesPerSecond(bytes: file.bytes, milliseconds: ours.medianMs),
                    xmllintMegabytesPerSecond: megabytesPerSecond(bytes: file.bytes, milliseconds: theirs.medianMs)))
        }
        return results
    }
}

/// A one-element document in a temporary directory, for timing xmllint's process start-up alone.
struct TinyDocument {
    let directory: String
    var path: String { directory + "/tiny.xml" }

    init() throws {
        directory = NSTemporaryDirectory() + "/tokenscript-benchmarks-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data("<a/>\n".utf8).write(to: URL(fileURLWithPath: path))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

extension TimedCommand {
    /// The command with its long list of corpus paths shortened to a placeholder.
    func displayString(abbreviatingFiles count: Int) -> String {
        let flags = arguments.filter { $0.hasPrefix("--") }
        return (["xmllint"] + flags + ["<\(count) corpus files>"]).joined(separator: " ")
    }
}

@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

func progress(_ message: String) {
    FileHandle.standardError.write(Data(("[parse] " + message + "\n").utf8))
}

func ms(_ seconds: Double) -> String { format(seconds * 1000) + " ms" }
