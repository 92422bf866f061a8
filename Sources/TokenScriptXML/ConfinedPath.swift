import Foundation

/// Decides whether a path named by a document may be read: only files inside the document's own directory.
///
/// Both entities and `ts:include` go through this one rule, so an attacker cannot find a second door.
/// Symlinks are resolved before the check, so a link inside the directory cannot point outside it.
public struct ConfinedPath: Sendable, Hashable {
    public enum Verdict: Sendable, Hashable {
        /// Inside the directory and present: read this real path.
        case allowed(String)
        /// Inside the directory but not there (an unbuilt source).
        case missing(String)
        /// Outside the directory, or through a symlink that leaves it.
        case outside(String)
        /// A URL with a scheme other than `file`.
        case network(String)
    }

    /// The directory's real path.
    public let directory: String

    public init(directory: String) {
        self.directory = Self.realPath(directory) ?? Self.standardized(directory)
    }

    /// Classifies a reference (relative, absolute, or a `file:`/other URL).
    public func resolve(_ reference: String) -> Verdict {
        var path = reference
        if let colon = path.firstIndex(of: ":"), path[..<colon].count > 1,
            path[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
        {
            let scheme = path[..<colon].lowercased()
            guard scheme == "file" else { return .network(reference) }
            path = String(path[path.index(after: colon)...])
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            if !path.hasPrefix("/") { path = "/" + path }  // file://host/path: treat host-less
            path = path.removingPercentEncoding ?? path
        }
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        let lexical = Self.standardized(absolute)
        guard let real = Self.realPath(absolute) else {
            return contains(lexical) ? .missing(lexical) : .outside(lexical)
        }
        return contains(real) ? .allowed(real) : .outside(real)
    }

    private func contains(_ path: String) -> Bool {
        path.hasPrefix(directory == "/" ? "/" : directory + "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Removes `.` and `..` without touching the file system.
    static func standardized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }
}
