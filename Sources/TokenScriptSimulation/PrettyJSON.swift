import TokenScriptRuntime

/// Pretty JSON of a sandbox value: two-space indentation, keys sorted, one member or item per line.
public enum PrettyJSON {
    public static func text(_ value: SandboxValue) -> String {
        var out = ""
        write(value, indent: "", into: &out)
        return out
    }

    static func write(_ value: SandboxValue, indent: String, into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                write(item, indent: inner, into: &out)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                out += inner + SandboxValue.string(key.string).jsonText + ": "
                write(members[key]!, indent: inner, into: &out)
                out += index == keys.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .object:
            out += "{}"
        default:
            out += value.jsonText
        }
    }
}
