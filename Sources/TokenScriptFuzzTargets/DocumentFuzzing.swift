import Foundation
import TokenScriptDocument

/// The document reader over bytes in memory. Entities and includes resolve against an empty private
/// directory, so an input can refer to files but never reach real ones.
enum DocumentFuzzing {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "tokenscript-fuzz-document-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    static func run(_ bytes: [UInt8]) {
        _ = try? TokenScriptReader.read(bytes: bytes, file: directory + "/fuzz.xml", directory: directory)
    }
}
