#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file was not read; `description` names the path, `message` is the same without it.
public struct FileReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case notFound
        case notRegular(FileKind)
        case tooLarge(size: Int, limit: Int)
        case notUTF8
        /// An `errno` from open, fstat or read.
        case system(Int32)
    }

    public var path: String
    public var reason: Reason

    /// What went wrong, without the path: "is a FIFO, not a regular file".
    public var message: String {
        switch reason {
        case .notFound: "cannot open: no such file"
        case .notRegular(let kind): "is \(kind.rawValue), not a regular file"
        case .tooLarge(let size, let limit): "file is \(size) bytes, over the limit of \(limit) bytes"
        case .notUTF8: "is not valid UTF-8"
        case .system(let code): "cannot read: \(String(cString: strerror(code)))"
        }
    }

    public var description: String { "\(path): \(message)" }
}
