import Foundation

/// Reads a benchmark's command line flag by flag: the value after a flag, or a whole number with a lower bound.
/// One reader for every subcommand, so their errors read alike.
struct ArgumentReader {
    private var iterator: IndexingIterator<[String]>

    init(_ arguments: [String]) { iterator = arguments.makeIterator() }

    mutating func next() -> String? { iterator.next() }

    mutating func value(_ flag: String) throws -> String {
        guard let value = iterator.next() else { throw BenchmarkError("\(flag) needs a value\n\n\(usage)") }
        return value
    }

    mutating func number(_ flag: String, minimum: Int) throws -> Int {
        let text = try value(flag)
        guard let number = Int(text), number >= minimum else {
            throw BenchmarkError("\(flag) needs a whole number >= \(minimum), not '\(text)'")
        }
        return number
    }
}

/// `relativePath` below the repository this file lives in, else below the working directory (a copied binary).
func repositoryPath(_ relativePath: String) -> String {
    // #filePath is <repo>/Benchmarks/Sources/tokenscript-benchmarks/ArgumentReader.swift
    var repository = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { repository.deleteLastPathComponent() }
    let candidates = [
        repository.path + "/" + relativePath, FileManager.default.currentDirectoryPath + "/" + relativePath,
    ]
    return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
}
