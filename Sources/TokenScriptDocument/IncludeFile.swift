import TokenScriptFileSystem

/// Reads a file a `ts:include` names, once `ConfinedPath` has allowed it: a regular file (a FIFO or
/// device is refused without blocking), at most `limit` bytes, valid UTF-8.
enum IncludeFile {
    struct Failure: Error {
        var message: String
        /// A size limit, rather than a file that is not fit to include.
        var isLimit = false
    }

    static func read(_ path: String, limit: Int) -> Result<String, Failure> {
        do {
            return .success(try RegularFile.readText(path, limit: limit))
        } catch {
            if case .tooLarge = error.reason { return .failure(Failure(message: error.message, isLimit: true)) }
            return .failure(Failure(message: error.message))
        }
    }
}
