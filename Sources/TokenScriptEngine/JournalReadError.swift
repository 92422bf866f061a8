/// Why a journal file cannot be trusted or read, naming the line (1-based), the step and the field.
public struct JournalReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Not a journal of this format at all (empty file, another format, not JSON on line 1).
        case unreadable
        /// A journal whose bytes are not what its writer wrote: an edited, reordered, dropped, inserted or
        /// cut-short line, a broken chain or signature, a non-canonical line. The writer only ever writes
        /// canonical, sealed lines, so every such difference is evidence of tampering (or corruption).
        case tampered
        /// Every line verifies but the last, which has no line end: what a crash mid-write leaves (or a file
        /// cut short). `Journal.verifiedPrefix(of:)` keeps the lines before it.
        case incomplete
    }

    public var line: Int
    /// The journal sequence number of the entry on that line, when the line got far enough to tell
    /// (nil for the header line and for lines that are not readable entries).
    public var step: UInt64?
    /// The field at fault (`attestation.payload.status`, `instance.attributes.count`, `prev`, `signature`),
    /// or empty when the whole line is.
    public var field: String
    public var reason: String
    public var kind: Kind
    /// Entries on complete lines before this one whose chain and signature verified: after a crash mid-write
    /// the journal is trustworthy up to here.
    public var verifiedSteps: Int

    public init(
        line: Int, step: UInt64? = nil, field: String, reason: String, kind: Kind = .tampered, verifiedSteps: Int = 0
    ) {
        self.line = line
        self.step = step
        self.field = field
        self.reason = reason
        self.kind = kind
        self.verifiedSteps = verifiedSteps
    }

    /// `line 7: step 6 field attestation.payload.status: stored "delayed" but the chain commits to other content`.
    public var description: String {
        var text = "line \(line)"
        if let step { text += ": step \(step)" }
        if !field.isEmpty { text += (step == nil ? ": field " : " field ") + field }
        return text + ": " + reason
    }
}
