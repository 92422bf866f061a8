/// Why the PostgreSQL store could not do what it was asked; each case names the database (never its password) and
/// what was being done.
public enum PostgresStoreError: Error, Hashable, CustomStringConvertible {
    /// The `--store` URL is malformed: `part` is the piece at fault.
    case invalidURL(part: String, reason: String)
    /// The database did not answer within the store's deadline (down, unreachable, refusing connections).
    case unavailable(location: String, operation: String, message: String)
    /// The database answered with an error.
    case failed(location: String, operation: String, message: String)
    /// The schema was written by a newer build: its migrations are not all known here.
    case newerSchema(location: String, applied: [Int])
    /// A stored row that this build cannot read (edited by hand, or written by something else).
    case corruptRow(location: String, table: String, key: String, reason: String)
    /// A text that PostgreSQL cannot store (it refuses the NUL character in text).
    case unstorableText(field: String)

    public var description: String {
        switch self {
        case .invalidURL(let part, let reason):
            return "invalid PostgreSQL URL: \(part): \(reason)"
        case .unavailable(let location, let operation, let message):
            return "PostgreSQL at \(location) is unavailable (\(operation)): \(message)"
        case .failed(let location, let operation, let message):
            return "PostgreSQL at \(location) failed to \(operation): \(message)"
        case .newerSchema(let location, let applied):
            return "the schema at \(location) has migrations \(applied.map(String.init).joined(separator: ", ")),"
                + " newer than this build knows (\(PostgresSchema.migrations.count)): upgrade tokenscript"
        case .corruptRow(let location, let table, let key, let reason):
            return "PostgreSQL at \(location): row \(key) of \(table) cannot be read: \(reason)"
        case .unstorableText(let field):
            return "\(field) contains the NUL character, which PostgreSQL cannot store"
        }
    }
}
