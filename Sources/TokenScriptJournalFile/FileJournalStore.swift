import TokenScriptEngine
import TokenScriptFileSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A journal store in one JSON Lines file, in the `swift-tokenscript-journal/2` format: byte for byte what
/// `Journal.bytes` holds for the same entries.
///
/// Each append writes its line with one `write` on a descriptor opened for appending and `fsync`s before it
/// returns, so an entry a caller saw appended survives a crash; a crash mid-write leaves a torn last line,
/// which opening the file again drops (as `Journal.verifiedPrefix(of:)` does), cutting the file back to its
/// last complete line and continuing the chain from there. Opening verifies the whole chain (and each line's
/// signature against the header's key); anything but a torn last line is refused as `unreadable`. Reads go
/// through `TokenScriptFileSystem` (regular files only, size-capped) and verify what they read.
public actor FileJournalStore: PublishingJournalStore {
    public nonisolated let header: JournalHeader
    public nonisolated let path: String
    /// The torn last line dropped when the file was opened, if there was one.
    public nonisolated let recoveredProblem: JournalReadError?
    /// Largest journal file read back (bytes).
    public nonisolated let readLimit: Int
    private var currentHead: JournalHead
    private let descriptor: Int32
    package var subscribers = JournalSubscribers()

    /// Creates the journal file at `path` (which must not exist) holding only `header`.
    public init(creating path: String, header: JournalHeader, readLimit: Int = 1 << 30) throws(JournalStoreError) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.systemError(path, "cannot create") }
        self.descriptor = descriptor
        self.header = header
        self.path = path
        self.readLimit = readLimit
        self.recoveredProblem = nil
        self.currentHead = JournalHead(header: header)
        try Self.write(header.line, to: descriptor, path: path)
        try Self.syncDirectory(of: path)
    }

    /// Opens the journal file at `path` and continues it after its last complete, verified line.
    public init(opening path: String, readLimit: Int = 1 << 30) throws(JournalStoreError) {
        let bytes = try Self.read(path, limit: readLimit)
        let prefix: (journal: Journal, problem: JournalReadError?)
        do { prefix = try Journal.verifiedPrefix(of: bytes) } catch { throw JournalStoreError(.unreadable(error)) }
        if let problem = prefix.problem, problem.kind != .incomplete { throw JournalStoreError(.unreadable(problem)) }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.systemError(path, "cannot open for appending") }
        if prefix.problem != nil {
            // Cut the torn line off, so the next append starts on a line of its own.
            let length = prefix.journal.bytes.count
            guard ftruncate(descriptor, off_t(length)) == 0, fsync(descriptor) == 0 else {
                let error = Self.systemError(path, "cannot cut the torn last line")
                close(descriptor)
                throw error
            }
        }
        self.descriptor = descriptor
        self.header = prefix.journal.header
        self.path = path
        self.readLimit = readLimit
        self.recoveredProblem = prefix.problem
        self.currentHead = JournalHead(nextSequence: prefix.journal.nextSequence, lastHash: prefix.journal.headHash)
    }

    deinit { close(descriptor) }

    public func head() -> JournalHead { currentHead }

    public func append(_ entry: SealedJournalEntry) throws(JournalStoreError) {
        try currentHead.checkContinues(with: entry)
        try Self.write(entry.line, to: descriptor, path: path)
        currentHead = currentHead.advanced(past: entry)
        subscribers.publish(entry)
    }

    public func entries(from sequence: UInt64) throws(JournalStoreError) -> [SealedJournalEntry] {
        let journal: Journal
        do { journal = try Journal(bytes: try Self.read(path, limit: readLimit)) } catch let error as JournalStoreError
        {
            throw error
        } catch let error as JournalReadError {
            throw JournalStoreError(.unreadable(error))
        } catch {
            throw JournalStoreError(.io(path: path, message: "\(error)"))
        }
        guard journal.header == header else {
            throw JournalStoreError(.headerMismatch(field: "header", detail: "\(path) was replaced by another journal"))
        }
        return journal.sealedEntries.filter { $0.entry.sequence >= sequence }
    }

    public nonisolated func updates(after sequence: UInt64) -> AsyncThrowingStream<SealedJournalEntry, any Error> {
        subscription(after: sequence)
    }

    /// `line` and its line end written whole, then synced (`DurableFile`).
    private static func write(_ line: [UInt8], to descriptor: Int32, path: String) throws(JournalStoreError) {
        do throws(FileWriteError) { try DurableFile.write(line + [0x0a], to: descriptor, path: path) } catch {
            throw JournalStoreError(.io(path: error.path, message: error.message))
        }
    }

    /// Makes the new file's directory entry durable too: without it a crash could lose the whole file.
    private static func syncDirectory(of path: String) throws(JournalStoreError) {
        do throws(FileWriteError) { try DurableFile.syncDirectory(of: path) } catch {
            throw JournalStoreError(.io(path: error.path, message: error.message))
        }
    }

    private static func read(_ path: String, limit: Int) throws(JournalStoreError) -> [UInt8] {
        do { return try RegularFile.read(path, limit: limit) } catch {
            throw JournalStoreError(.io(path: path, message: error.message))
        }
    }

    private static func systemError(_ path: String, _ action: String) -> JournalStoreError {
        JournalStoreError(.io(path: path, message: "\(action): \(String(cString: strerror(errno)))"))
    }
}
