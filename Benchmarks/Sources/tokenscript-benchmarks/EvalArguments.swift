import Dispatch
import Foundation

/// `<repo>/Benchmarks/TokenScripts/ten-attributes.xml`.
func defaultEvalTokenScript() -> String { repositoryPath("Benchmarks/TokenScripts/ten-attributes.xml") }

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
    var reader = ArgumentReader(arguments)
    while let argument = reader.next() {
        switch argument {
        case "--manifest": options.manifest = try reader.value(argument)
        case "--tokenscript": options.tokenScript = try reader.value(argument)
        case "--token": options.token = try reader.value(argument)
        case "--rounds": options.rounds = try reader.number(argument, minimum: 1)
        case "--calls": options.callsPerRound = try reader.number(argument, minimum: 1)
        case "--cold": options.coldPerRound = try reader.number(argument, minimum: 1)
        case "--warm": options.warmPerRound = try reader.number(argument, minimum: 1)
        case "--no-fresh-client": options.freshClient = false
        case "--json": options.json = true
        case "--json-file": options.jsonFile = try reader.value(argument)
        case "--markdown": options.markdownFile = try reader.value(argument)
        case "-h", "--help":
            print(usage)
            exit(0)
        default: throw BenchmarkError("unknown argument '\(argument)'\n\n\(usage)")
        }
    }
    options.tokenScript = URL(fileURLWithPath: options.tokenScript).standardizedFileURL.path
    return options
}
