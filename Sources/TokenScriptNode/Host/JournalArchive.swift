import Foundation
import TokenScriptEngine
import TokenScriptRuntime

/// Writes a retired instance's journal as a journal file (`swift-tokenscript-journal/2`, one line per sealed
/// line) named after the instance in the node's archive directory, and beside it the instance it started
/// from (`<id>.initial.json`, `{"state", "attributes"}`), so `tokenscript replay <id>.journal --initial
/// <id>.initial.json --script …` checks every step again.
///
/// Each file is written to a temporary name, synced, renamed into place and the directory synced, the journal
/// last: once `write` returns both are whole on disk, so the store may delete the journal. A crash before leaves
/// at most temporary files, and the next sweep writes the archive again.
enum JournalArchive {
    /// - Returns: the journal file's path.
    /// - Throws: `JournalArchiveError` naming the path and the system's reason.
    static func write(_ lines: [[UInt8]], initial: TokenInstance?, instance id: String, directory: String) throws
        -> String
    {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JournalArchiveError(path: directory, reason: "cannot create the directory: \(error)")
        }
        if let initial {
            let start = SandboxValue.object([
                "state": .string(initial.state), "attributes": .object(initial.attributes),
            ])
            try writeFile(Array((start.jsonText + "\n").utf8), to: directory + "/" + id + ".initial.json")
        }
        let path = directory + "/" + id + ".journal"
        try writeFile(lines.flatMap { $0 + [0x0a] }, to: path)
        let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            close(folder)
        }
        return path
    }

    /// Writes `bytes` to `path` through a synced temporary file renamed into place.
    private static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".partial"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw JournalArchiveError(path: temporary, reason: reason()) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                let why = reason()
                close(descriptor)
                throw JournalArchiveError(path: temporary, reason: why)
            }
            written += count
        }
        guard fsync(descriptor) == 0 else {
            let why = reason()
            close(descriptor)
            throw JournalArchiveError(path: temporary, reason: why)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw JournalArchiveError(path: path, reason: reason()) }
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}

/// A journal archive that could not be written; the instance stays in the store.
struct JournalArchiveError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }
}
