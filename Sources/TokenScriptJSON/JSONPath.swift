/// Where a value sits in a document, for error messages: `state["é"][3]`, `payload.delay`.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    public enum Component: Hashable, Sendable {
        case key(JSONKey)
        case index(Int)
    }

    public private(set) var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    public static let root = JSONPath()

    public func appending(_ key: JSONKey) -> JSONPath { JSONPath(components + [.key(key)]) }
    public func appending(_ index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }

    /// Bare names where they are identifiers (`a.b`), quoted and escaped otherwise (`["a b"]`); the
    /// document itself is `(document)`.
    public var description: String { components.isEmpty ? "(document)" : rendered(after: "") }

    /// The path below a named root, e.g. `result.state["ab"][3]` for root `result`.
    public func described(under root: String) -> String { rendered(after: root) }

    private func rendered(after root: String) -> String {
        var text = root
        for component in components {
            switch component {
            case .index(let index): text += "[\(index)]"
            case .key(let key) where Self.isIdentifier(key.bytes): text += (text.isEmpty ? "" : ".") + key.string
            case .key(let key): text += "[" + JSONWriter.quoted(key.string, escapingNonASCII: true) + "]"
            }
        }
        return text
    }

    private static func isIdentifier(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, !(0x30...0x39).contains(first) else { return false }
        return bytes.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
