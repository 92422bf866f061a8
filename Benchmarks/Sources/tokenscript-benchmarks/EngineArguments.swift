import Foundation

func engineProgress(_ message: String) {
    FileHandle.standardError.write(Data(("[engine] " + message + "\n").utf8))
}

/// `<repo>/Fixtures/engine/counter.xml`.
func defaultEngineTokenScript() -> String { repositoryPath("Fixtures/engine/counter.xml") }

func parseEngineArguments(_ arguments: [String]) throws -> EngineBenchmark.Options {
    var options = EngineBenchmark.Options(tokenScript: defaultEngineTokenScript())
    var reader = ArgumentReader(arguments)
    while let argument = reader.next() {
        switch argument {
        case "--tokenscript": options.tokenScript = try reader.value(argument)
        case "--rounds": options.rounds = try reader.number(argument, minimum: 1)
        case "--steps": options.steps = try reader.number(argument, minimum: 1)
        case "--instances": options.instances = try reader.number(argument, minimum: 0)
        case "--per-instance":
            let text = try reader.value(argument)
            let counts = text.split(separator: ",").compactMap { Int($0) }
            guard !counts.isEmpty, counts.count == text.split(separator: ",").count, counts.allSatisfy({ $0 >= 1 })
            else {
                throw BenchmarkError("--per-instance needs whole numbers >= 1, separated by commas, not '\(text)'")
            }
            options.perInstance = counts
        case "--width": options.width = try reader.number(argument, minimum: 1)
        case "--pool-size": options.poolSize = try reader.number(argument, minimum: 1)
        case "--verifications": options.verifications = try reader.number(argument, minimum: 1)
        case "--journal-dir": options.journalDirectory = try reader.value(argument)
        case "--no-file-store": options.fileStore = false
        case "--no-signed-journal": options.signedJournal = false
        case "--json": options.json = true
        case "--markdown": options.markdownFile = try reader.value(argument)
        case "--json-file": options.jsonFile = try reader.value(argument)
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

func parseFloorArguments(_ arguments: [String]) throws -> FloorBenchmark.Options {
    var engine = EngineBenchmark.Options(tokenScript: repositoryPath("Benchmarks/network/counter.xml"))
    engine.instances = 0
    engine.perInstance = []
    var options = FloorBenchmark.Options(engine: engine)
    var reader = ArgumentReader(arguments)
    while let argument = reader.next() {
        switch argument {
        case "--tokenscript": options.engine.tokenScript = try reader.value(argument)
        case "--attestations": options.attestations = try reader.number(argument, minimum: 1)
        case "--writes-per-commit": options.writesPerCommit = try reader.number(argument, minimum: 3)
        case "--instances": options.instances = try reader.number(argument, minimum: 1)
        case "--width": options.engine.width = try reader.number(argument, minimum: 1)
        case "--pool-size": options.engine.poolSize = try reader.number(argument, minimum: 1)
        case "--json": options.engine.json = true
        case "--markdown": options.engine.markdownFile = try reader.value(argument)
        case "--json-file": options.engine.jsonFile = try reader.value(argument)
        case "-h", "--help":
            print(usage)
            exit(0)
        default: throw BenchmarkError("unknown argument '\(argument)'\n\n\(usage)")
        }
    }
    options.engine.tokenScript = URL(fileURLWithPath: options.engine.tokenScript).standardizedFileURL.path
    return options
}
