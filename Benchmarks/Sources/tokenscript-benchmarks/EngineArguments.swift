import Foundation

func engineProgress(_ message: String) {
    FileHandle.standardError.write(Data(("[engine] " + message + "\n").utf8))
}

/// `<repo>/Fixtures/engine/counter.xml`.
func defaultEngineTokenScript() -> String {
    // #filePath is <repo>/Benchmarks/Sources/tokenscript-benchmarks/EngineBenchmark.swift
    var repository = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { repository.deleteLastPathComponent() }
    let candidates = [
        repository.appendingPathComponent("Fixtures/engine/counter.xml").path,
        FileManager.default.currentDirectoryPath + "/Fixtures/engine/counter.xml",
    ]
    return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
}

func parseEngineArguments(_ arguments: [String]) throws -> EngineBenchmark.Options {
    var options = EngineBenchmark.Options(tokenScript: defaultEngineTokenScript())
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
        case "--tokenscript": options.tokenScript = try value(argument)
        case "--rounds": options.rounds = try number(argument, minimum: 1)
        case "--steps": options.steps = try number(argument, minimum: 1)
        case "--instances": options.instances = try number(argument, minimum: 0)
        case "--per-instance":
            let text = try value(argument)
            let counts = text.split(separator: ",").compactMap { Int($0) }
            guard !counts.isEmpty, counts.count == text.split(separator: ",").count, counts.allSatisfy({ $0 >= 1 }) else {
                throw BenchmarkError("--per-instance needs whole numbers >= 1, separated by commas, not '\(text)'")
            }
            options.perInstance = counts
        case "--width": options.width = try number(argument, minimum: 1)
        case "--pool-size": options.poolSize = try number(argument, minimum: 1)
        case "--verifications": options.verifications = try number(argument, minimum: 1)
        case "--journal-dir": options.journalDirectory = try value(argument)
        case "--no-file-store": options.fileStore = false
        case "--no-signed-journal": options.signedJournal = false
        case "--json": options.json = true
        case "--markdown": options.markdownFile = try value(argument)
        case "--json-file": options.jsonFile = try value(argument)
        case "-h", "--help":
            print(usage)
            exit(0)
        default: throw BenchmarkError("unknown argument '\(argument)'\n\n\(usage)")
        }
    }
    if options.instances == 0 { options.perInstance = [] }
    options.tokenScript = URL(fileURLWithPath: options.tokenScript).standardizedFileURL.path
    return options
}
