import Dispatch
import Foundation

/// `<repo>/Benchmarks/TokenScripts/ten-attributes.xml`.
func defaultEvalTokenScript() -> String {
    // #filePath is <repo>/Benchmarks/Sources/tokenscript-benchmarks/EvalBenchmark.swift
    var benchmarks = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { benchmarks.deleteLastPathComponent() }
    let candidates = [
        benchmarks.appendingPathComponent("TokenScripts/ten-attributes.xml").path,
        FileManager.default.currentDirectoryPath + "/Benchmarks/TokenScripts/ten-attributes.xml",
    ]
    return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
}

func evalProgress(_ message: String) {
    FileHandle.standardError.write(Data(("[eval] " + message + "\n").utf8))
}

/// Runs async work to completion from the synchronous `main`, off the main actor.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// Written once by the task before it signals, read after the wait.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

func parseEvalArguments(_ arguments: [String]) throws -> EvalBenchmark.Options {
    var options = EvalBenchmark.Options(tokenScript: defaultEvalTokenScript())
    var iterator = arguments.makeIterator()
    func value(_ flag: String) throws -> String {
        guard let value = iterator.next() else { throw BenchmarkError("\(flag) needs a value\n\n\(usage)") }
        return value
    }
    func number(_ flag: String, minimum: Int) throws -> Int {
        let text = try value(flag)
        guard let number = Int(text), number >= minimum else {
            throw BenchmarkError("\(flag) needs a whole number >= \(minimum), not '\(text)'")
        }
        return number
    }
    while let argument = iterator.next() {
        switch argument {
        case "--manifest": options.manifest = try value(argument)
        case "--tokenscript": options.tokenScript = try value(argument)
        case "--token": options.token = try value(argument)
        case "--rounds": options.rounds = try number(argument, minimum: 1)
        case "--calls": options.callsPerRound = try number(argument, minimum: 1)
        case "--cold": options.coldPerRound = try number(argument, minimum: 1)
        case "--warm": options.warmPerRound = try number(argument, minimum: 1)
        case "--no-fresh-client": options.freshClient = false
        case "--json": options.json = true
        case "--json-file": options.jsonFile = try value(argument)
        case "--markdown": options.markdownFile = try value(argument)
        case "-h", "--help":
            print(usage)
            exit(0)
        default: throw BenchmarkError("unknown argument '\(argument)'\n\n\(usage)")
        }
    }
    options.tokenScript = URL(fileURLWithPath: options.tokenScript).standardizedFileURL.path
    return options
}
