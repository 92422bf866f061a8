import Foundation
import TokenScriptEngine
import TokenScriptFileSystem
import TokenScriptRuntime

/// Writes a retired instance's journal as a journal file (`swift-tokenscript-journal/2`, one line per sealed
/// line) named after the instance in the node's archive directory, and beside it the instance it started
/// from (`<id>.initial.json`, `{"state", "attributes"}`), so `tokenscript replay <id>.journal --initial
/// <id>.initial.json --script …` checks every step again.
///
/// Each file is put in place whole (`DurableFile.replace`: synced, renamed, the directory synced), the journal
/// last: once `write` returns both are on disk, so the store may delete the journal. A crash before leaves at
/// most partial files, and the next sweep writes the archive again.
enum JournalArchive {
    /// - Returns: the journal file's path.
    /// - Throws: the directory's creation error, or `FileWriteError` naming the file and the system's reason.
    static func write(_ lines: [[UInt8]], initial: TokenInstance?, instance id: String, directory: String) throws
        -> String
    {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let initial {
            let start = SandboxValue.object([
                "state": .string(initial.state), "attributes": .object(initial.attributes),
            ])
            try DurableFile.replace(directory + "/" + id + ".initial.json", with: Array((start.jsonText + "\n").utf8))
        }
        let path = directory + "/" + id + ".journal"
        try DurableFile.replace(path, with: lines.flatMap { $0 + [0x0a] })
        return path
    }
}
