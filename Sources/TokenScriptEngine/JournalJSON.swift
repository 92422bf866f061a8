import TokenScriptJSON
import TokenScriptRuntime

/// The journal's one JSON reader and writer: `TokenScriptJSON`'s strict reader (duplicate keys, invalid
/// UTF-8, integer/float confusion refused, with a column) and its canonical writer. Lines are checked and
/// hashed as `JSONValue`; only entries that passed are turned into `SandboxValue`s (keys byte-exact in both).
enum JournalJSON {
    /// Bounds on one line: far above what the writer produces (a transition result is at most a sandbox
    /// frame, 16 MiB, nested at most 64 deep, and a line adds a few levels), so every written line reads back.
    static let limits = JSONReader.Limits(maximumDepth: 128, maximumBytes: 64 << 20)

    /// One line's bytes, read strictly.
    static func parse(_ bytes: [UInt8]) throws(JSONReadError) -> JSONValue {
        try JSONReader.read(bytes, limits: limits)
    }

    /// The canonical bytes of a value. Values come from the reader (finite) or from `json(_:)` (non-finite
    /// floats already `null`), so the writer has nothing to refuse; `null` is a fallback, never a crash.
    static func canonical(_ value: JSONValue) -> [UInt8] { (try? JSONWriter.canonical(value)) ?? Array("null".utf8) }

    /// A `SandboxValue` as JSON; a non-finite float (only a value built in Swift can hold one) becomes
    /// `null`, as `SandboxValue.jsonText` shows it, so state hashes and journal lines agree.
    static func json(_ value: SandboxValue) -> JSONValue {
        switch value {
        case .double(let number) where !number.isFinite: .null
        case .array(let items): .array(items.map(json))
        case .object(let members): .object(members.mapValues(json))
        default: value.json
        }
    }
}
