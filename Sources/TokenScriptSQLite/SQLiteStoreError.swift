/// Why the SQLite store could not be opened or could not do what it was asked; each names the database file.
///
/// Refusals the protocols define (a stale lease, a lost compare-and-swap, a malformed attestation) are thrown
/// as the protocols' own errors; these are the medium's failures.
public enum SQLiteStoreError: Error, Hashable, CustomStringConvertible {
    /// The file could not be opened as a database (missing directory, no permission, not a SQLite file).
    case cannotOpen(path: String, message: String)
    /// The file holds a schema newer than this build knows (migrations it does not have): opening it could
    /// misread what a newer node wrote.
    case newerSchema(path: String, applied: [String])
    /// A statement failed (disk full, I/O error, a lock held past the busy timeout), with SQLite's message.
    case failed(path: String, operation: String, message: String)
    /// A stored row does not decode: the file was damaged or written by something else.
    case corruptRow(path: String, table: String, key: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let message): "\(path): cannot open the SQLite store: \(message)"
        case .newerSchema(let path, let applied):
            "\(path): the store's schema is newer than this build (applied migrations: "
                + "\(applied.joined(separator: ", "))); open it with a newer tokenscript"
        case .failed(let path, let operation, let message): "\(path): \(operation) failed: \(message)"
        case .corruptRow(let path, let table, let key, let reason):
            "\(path): table \(table), row \(key) does not decode: \(reason)"
        }
    }
}
