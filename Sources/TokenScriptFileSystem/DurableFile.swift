#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes that are on disk when they return: every byte written (short writes and `EINTR` retried), the file
/// synced, and a new file's directory entry synced too (without it a crash could lose the whole file). The one
/// place the journal file and the node's journal archive write durably.
public enum DurableFile {
    /// Writes all of `bytes` to `descriptor`, then syncs it.
    /// - Throws: `FileWriteError` naming `path` and the system's reason.
    public static func write(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(FileWriteError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: path, action: "cannot write", code: errno)
            }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw FileWriteError(path: path, action: "cannot sync", code: errno) }
    }

    /// Syncs the directory holding `path`, so a file just created or renamed there survives a crash.
    public static func syncDirectory(of path: String) throws(FileWriteError) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FileWriteError(path: directory, action: "cannot open the directory to sync it", code: errno)
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw FileWriteError(path: directory, action: "cannot sync the directory", code: errno)
        }
    }

    /// Puts `bytes` at `path` whole or not at all: written and synced under `path.partial`, renamed into place,
    /// the directory synced. A crash before leaves at most the partial file, which the next call overwrites.
    public static func replace(_ path: String, with bytes: [UInt8]) throws(FileWriteError) {
        let partial = path + ".partial"
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileWriteError(path: partial, action: "cannot create", code: errno) }
        do throws(FileWriteError) {
            try write(bytes, to: descriptor, path: partial)
        } catch {
            close(descriptor)
            throw error
        }
        close(descriptor)
        guard rename(partial, path) == 0 else {
            throw FileWriteError(path: path, action: "cannot rename \(partial) to it", code: errno)
        }
        try syncDirectory(of: path)
    }

    private static func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(descriptor, buffer, count)
        #else
            Darwin.write(descriptor, buffer, count)
        #endif
    }
}

/// Why a durable write failed: the path, what was being done and the system's reason.
public struct FileWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var action: String
    public var code: Int32

    /// "cannot sync: No space left on device", without the path.
    public var message: String { "\(action): \(String(cString: strerror(code)))" }
    public var description: String { "\(path): \(message)" }
}
