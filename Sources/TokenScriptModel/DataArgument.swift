/// One argument of a call or transaction (a child of `ts:data`): its ABI type and where its value comes from.
///
/// The element name is the ABI type (`ts:uint256`, `ts:address`, `ts:string`, `ts:struct`, `ts:abi` …).
public struct DataArgument: Sendable, Hashable, Codable {
    public enum Source: Sendable, Hashable {
        /// The element's text, such as `<ts:uint8>3</ts:uint8>`.
        case literal(String)
        /// `ref=`: a special ref (`tokenId`, `ownerAddress` …) or an attribute, card scope first.
        case reference(String)
        /// `local-ref=`: a card attribute or a value the card sets.
        case localReference(String)
    }

    /// The ABI type, from the element's local name.
    public var type: String
    /// `name=`, used by `ts:struct`/`ts:abi` arguments to find their ABI components.
    public var name: String?
    public var source: Source

    public init(type: String, name: String? = nil, source: Source) {
        self.type = type
        self.name = name
        self.source = source
    }

    /// The attribute or special ref this argument reads, if any.
    public var referencedName: String? {
        switch source {
        case .literal: nil
        case .reference(let name), .localReference(let name): name
        }
    }
}

/// A path into a structured value, `catInfo.state.level` or `items[0].name` (`ts:data ref=`, 2024/01).
public struct AttributePath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The attribute the path starts at.
    public var attribute: String
    public var components: [Component]

    /// Parses the lodash-style dotted and bracketed form engine-js accepts; nil for an empty or malformed path.
    public init?(_ text: String) {
        // Grammar: name ( "." name | "[" digits "]" )*
        var scalars = Substring(text)
        func name() -> String? {
            let end = scalars.firstIndex { $0 == "." || $0 == "[" || $0 == "]" } ?? scalars.endIndex
            let name = scalars[..<end]
            guard !name.isEmpty, !name.contains(where: \.isWhitespace) else { return nil }
            scalars = scalars[end...]
            return String(name)
        }
        guard let head = name() else { return nil }
        var components: [Component] = []
        while let next = scalars.first {
            scalars = scalars.dropFirst()
            switch next {
            case ".":
                guard let key = name() else { return nil }
                components.append(.key(key))
            case "[":
                guard let close = scalars.firstIndex(of: "]"), let index = Int(scalars[..<close]), index >= 0 else {
                    return nil
                }
                components.append(.index(index))
                scalars = scalars[scalars.index(after: close)...]
            default:
                return nil
            }
        }
        self.attribute = head
        self.components = components
    }

    public var description: String {
        var text = attribute
        for component in components {
            switch component {
            case .key(let key): text += ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// A lookup table from an origin's output to display text (`ts:mapping`).
public struct Mapping: Sendable, Hashable, Codable {
    public struct Option: Sendable, Hashable, Codable {
        public var key: String
        public var value: LocalizedText

        public init(key: String, value: LocalizedText) {
            self.key = key
            self.value = value
        }
    }

    public var options: [Option]

    public init(options: [Option]) {
        self.options = options
    }

    /// The text for a key in the preferred languages; nil when the key has no option.
    public func value(forKey key: String, preferring languages: [String] = ["en"]) -> String? {
        options.first { $0.key == key }?.value.text(preferring: languages)
    }
}
