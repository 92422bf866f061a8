import Foundation

/// Plain data crossing the sandbox boundary: script results, execution input and host-call
/// arguments. No functions, no metatables, nothing that could run code on either side.
public enum SandboxValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([SandboxValue])
    case object([String: SandboxValue])
}

extension SandboxValue {
    /// Canonical JSON: object keys sorted bytewise, no whitespace, non-finite numbers as `null`.
    /// Canonical so that deterministic executions give byte-identical output on every node.
    public var jsonText: String {
        var out = ""
        write(into: &out)
        return out
    }

    func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? Self.format(d) : "null"
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, key) in fields.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }).enumerated() {
                if i > 0 { out += "," }
                Self.writeString(key, into: &out)
                out += ":"
                fields[key]!.write(into: &out)
            }
            out += "}"
        }
    }

    /// Integral doubles keep a ".0" so JSON readers can tell Lua floats from integers.
    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return (d.sign == .minus && d == 0 ? "-" : "") + String(Int64(d)) + ".0" }
        return "\(d)"
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension SandboxValue: Decodable {
    /// Reads JSON (for `--input`); booleans, integers and doubles stay distinct.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([SandboxValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: SandboxValue].self)) }
    }

    /// Parses JSON text into a value.
    public static func parseJSON(_ text: String) throws -> SandboxValue {
        try JSONDecoder().decode(SandboxValue.self, from: Data(text.utf8))
    }
}
