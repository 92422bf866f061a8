/// JSON for people: the canonical writer's values and key order, laid out one member or item per line.
///
/// Every `--json` output of the command line is written by this one function, so all commands share one
/// spacing: two-space indentation, `"key": value`, empty containers as `{}` and `[]`, no trailing newline.
/// Scalars are written exactly as `JSONWriter` writes them (floats keep a fraction, strings escape only what
/// JSON requires), so the pretty form reads back to the same value.
extension JSONWriter {
    /// The indented text of `value`; non-finite floats, which have no JSON form, are refused naming the path.
    public static func pretty(_ value: JSONValue) throws(JSONWriteError) -> String {
        var output = ""
        try writePretty(value, indent: "", into: &output)
        return output
    }

    private static func writePretty(_ value: JSONValue, indent: String, into output: inout String)
        throws(JSONWriteError)
    {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            output += "[\n"
            for (index, item) in items.enumerated() {
                output += inner
                try writePretty(item, indent: inner, into: &output)
                output += index == items.count - 1 ? "\n" : ",\n"
            }
            output += indent + "]"
        case .object(let members) where !members.isEmpty:
            output += "{\n"
            let ordered = members.sorted { $0.key < $1.key }
            for (index, member) in ordered.enumerated() {
                output += inner + quoted(member.key.string) + ": "
                try writePretty(member.value, indent: inner, into: &output)
                output += index == ordered.count - 1 ? "\n" : ",\n"
            }
            output += indent + "}"
        default:
            output += try canonicalString(value)
        }
    }
}
