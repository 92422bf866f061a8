/// Why a journal store refused or failed an operation; a refused append has written nothing.
public struct JournalStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The entry's sequence is not the store's next one: another writer appended first, or the
        /// writer is behind.
        case sequenceMismatch(appended: UInt64, next: UInt64)
        /// The entry is sealed after another line than the store's last one (another writer's chain).
        case chainMismatch(sequence: UInt64, prev: String, last: String)
        /// The store's journal belongs to another instance or signer than its writer's (`field`, `detail`).
        case headerMismatch(field: String, detail: String)
        /// What the store holds does not verify as a journal.
        case unreadable(JournalReadError)
        /// The medium failed (a file could not be opened, written or synced), with the system's message.
        case io(path: String, message: String)
        /// A replay store: the re-run step differs from the recorded one.
        case diverged(NonDeterminismError)
        /// A replay store: the re-run went past the last recorded step.
        case beyondRecording(sequence: UInt64, recorded: Int)
    }

    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .sequenceMismatch(let appended, let next):
            "cannot append sequence \(appended): the journal's next sequence is \(next); nothing was written"
        case .chainMismatch(let sequence, let prev, let last):
            "cannot append sequence \(sequence): sealed after line \(prev), but the journal's last line is \(last); "
                + "nothing was written"
        case .headerMismatch(let field, let detail): "the journal's header does not match (\(field)): \(detail)"
        case .unreadable(let error): "the stored journal does not verify: \(error.description)"
        case .io(let path, let message): "\(path): \(message)"
        case .diverged(let error): error.description
        case .beyondRecording(let sequence, let recorded):
            "step \(sequence) is past the recorded journal's \(recorded) steps"
        }
    }
}
