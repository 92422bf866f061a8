import TokenScriptJSON
import TokenScriptSandbox

/// The journal's one JSON reader and writer: `TokenScriptJSON`'s strict reader (duplicate keys, invalid
/// UTF-8, integer/float confusion refused, with a column) and its canonical writer, plus the bridge to the
/// engine's `SandboxValue`. Lines are checked and hashed as `JSONValue`, byte-exact; only entries that
/// passed are turned into `SandboxValue`s.
enum JournalJSON {
    /// Bounds on one line: far above what the writer produces (a transition result is at most a sandbox
    /// frame, 16 MiB, nested at most 64 deep, and a line adds a few levels), so every written line reads back.
    static let limits = JSONReader.Limits(maximumDepth: 128, maximumBytes: 64 << 20)

    /// One line's bytes, read strictly.
    static func parse(_ bytes: [UInt8]) throws(JSONReadError) -> JSONValue { try JSONReader.read(bytes, limits: limits) }

    /// The canonical bytes of a value. Values come from the reader (finite) or from `json(_:)` (non-finite
    /// floats already `null`), so the writer has nothing to refuse; `null` is a fallback, never a crash.
    static func canonical(_ value: JSONValue) -> [UInt8] { (try? JSONWriter.canonical(value)) ?? Array("null".utf8) }

    /// A `SandboxValue` as JSON; a non-finite float becomes `null`, as in `SandboxValue.jsonText`.
    static func json(_ value: SandboxValue) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .integer(number)
        case .double(let number): number.isFinite ? .float(number) : .null
        case .string(let text): .string(text)
        case .array(let items): .array(items.map(json))
        case .object(let members): .object(Dictionary(uniqueKeysWithValues: members.map { (JSONKey($0.key), json($0.value)) }))
        }
    }

    /// A read value as a `SandboxValue`; nil names the path of an object whose member names differ by
    /// bytes but are equal as Swift strings (`SandboxValue` could not keep both).
    static func sandbox(_ value: JSONValue, path: String = "") -> Result<SandboxValue, CollidingKeys> {
        switch value {
        case .null: return .success(.null)
        case .bool(let flag): return .success(.bool(flag))
        case .integer(let number): return .success(.int(number))
        case .float(let number): return .success(.double(number))
        case .string(let text): return .success(.string(text))
        case .array(let items):
            var result: [SandboxValue] = []
            for (index, item) in items.enumerated() {
                switch sandbox(item, path: "\(path)[\(index)]") {
                case .success(let converted): result.append(converted)
                case .failure(let error): return .failure(error)
                }
            }
            return .success(.array(result))
        case .object(let members):
            var result: [String: SandboxValue] = [:]
            for key in members.keys.sorted() {
                let name = path.isEmpty ? key.string : path + "." + key.string
                guard result[key.string] == nil else { return .failure(CollidingKeys(path: name)) }
                switch sandbox(members[key]!, path: name) {
                case .success(let converted): result[key.string] = converted
                case .failure(let error): return .failure(error)
                }
            }
            return .success(.object(result))
        }
    }

    struct CollidingKeys: Error { var path: String }
}
