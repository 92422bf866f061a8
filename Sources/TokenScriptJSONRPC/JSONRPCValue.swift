import TokenScriptJSON

/// A JSON value as JSON-RPC carries it: the package's one JSON model, read by its strict reader.
///
/// A closed enum rather than `Any` from `JSONSerialization`, so that a boolean can never pass for a
/// number and "the result has the wrong type" is a plain `switch`; duplicate keys in an answer are
/// refused rather than resolved one way or the other.
typealias JSONRPCValue = JSONValue

extension JSONValue {
    /// A short name of the kind of value, for "expected a string, got an object" messages (JSON-RPC
    /// answers do not distinguish integers from floats, so both are "a number").
    var rpcKind: String {
        switch self {
        case .integer, .float: "a number"
        default: kind
        }
    }
}
