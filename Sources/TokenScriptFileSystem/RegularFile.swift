#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads files named by untrusted input (documents, entity and include targets, scenarios, attestations,
/// journals) so that nothing but a regular file is ever read, and nothing can block or exhaust memory.
///
/// A FIFO opened for reading blocks in `open()` until a writer appears, a character device such as
/// `/dev/zero` never ends, and a directory is not text: each is refused by what `fstat` says about the
/// descriptor actually opened (no check-then-open race). The open is non-blocking so that a FIFO is
/// refused at once; the flag is cleared before reading. At most `limit` bytes are ever held.
public enum RegularFile {
    /// The whole file, refused unread when it is larger than `limit` bytes.
    public static func read(_ path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            // open() refuses sockets with ENXIO; name what the path is rather than the errno.
            if code == ENXIO || code == EOPNOTSUPP, let kind = FileKind(path: path), kind != .regular {
                throw FileReadError(path: path, reason: .notRegular(kind))
            }
            throw FileReadError(path: path, reason: code == ENOENT ? .notFound : .system(code))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileReadError(path: path, reason: .system(errno)) }
        let kind = FileKind(mode: status.st_mode)
        guard kind == .regular else { throw FileReadError(path: path, reason: .notRegular(kind)) }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            throw FileReadError(path: path, reason: .system(errno))
        }
        let size = Int(status.st_size)
        guard size <= limit else { throw FileReadError(path: path, reason: .tooLarge(size: size, limit: limit)) }
        // The file may grow between fstat and read: read one byte past the limit to notice, never more.
        var bytes = [UInt8](repeating: 0, count: min(size, limit) + 1)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileReadError(path: path, reason: .system(errno))
            }
            if count == 0 { break }
            filled += count
            if filled == bytes.count, filled <= limit {
                bytes += [UInt8](repeating: 0, count: min(limit + 1 - filled, 1 << 16))
            }
        }
        guard filled <= limit else { throw FileReadError(path: path, reason: .tooLarge(size: filled, limit: limit)) }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// The file as UTF-8 text; invalid UTF-8 is refused rather than repaired.
    public static func readText(_ path: String, limit: Int) throws(FileReadError) -> String {
        let bytes = try read(path, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileReadError(path: path, reason: .notUTF8)
        }
        return text
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.read(descriptor, buffer, count)
        #else
            Darwin.read(descriptor, buffer, count)
        #endif
    }

    /// What is at `path` (following symlinks), or nil when nothing is.
    public static func kind(of path: String) -> FileKind? { FileKind(path: path) }
}
