import Foundation
import TokenScriptDocument

/// The document reader over bytes in memory. Entities and includes resolve against an empty directory,
/// so an input can refer to files but never reach real ones. One directory serves every run (the reader
/// only reads), so runs leave at most that one empty directory behind.
enum DocumentFuzzing {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "tokenscript-fuzz-empty-directory"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func run(_ bytes: [UInt8]) {
        _ = try? TokenScriptReader.read(bytes: bytes, file: directory + "/fuzz.xml", directory: directory)
    }
}
