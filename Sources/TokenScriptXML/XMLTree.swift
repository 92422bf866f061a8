/// A read-only XML tree in plain Swift values, so nothing outside this module sees a libxml2 pointer.
///
/// Elements in namespaces the caller marks opaque (XHTML in card views) are not expanded:
/// they arrive as their serialized markup, which is all a server needs of a view.
public struct XMLElement: Sendable, Hashable {
    public var localName: String
    public var namespaceURI: String?
    public var prefix: String?
    public var attributes: [XMLAttribute]
    public var children: [XMLNode]
    /// 1-based line of the start tag.
    public var line: Int

    /// `prefix:localName` as written, for messages.
    public var qualifiedName: String { prefix.map { "\($0):\(localName)" } ?? localName }

    /// The value of an attribute without a namespace (or, with `namespaceURI`, in that namespace).
    public func attribute(_ name: String, namespaceURI: String? = nil) -> String? {
        attributes.first { $0.localName == name && $0.namespaceURI == namespaceURI }?.value
    }

    /// `xml:lang`.
    public var language: String? { attribute("lang", namespaceURI: XMLNamespace.xml) }

    /// The child elements, skipping text and opaque markup.
    public var elements: [XMLElement] {
        children.compactMap { if case .element(let element) = $0 { element } else { nil } }
    }

    /// The concatenated text of the direct children (no markup).
    public var text: String {
        var result = ""
        for child in children {
            if case .text(let text) = child { result += text }
        }
        return result
    }
}

/// One attribute of an element.
public struct XMLAttribute: Sendable, Hashable {
    public var localName: String
    public var namespaceURI: String?
    public var value: String
}

/// A child of an element.
public enum XMLNode: Sendable, Hashable {
    case element(XMLElement)
    case text(String)
    /// An element of an opaque namespace, serialized with its subtree.
    case markup(XMLMarkup)
}

/// A subtree kept as serialized XML because its content is not the reader's business.
///
/// Held as UTF-8 bytes: views can be megabytes of script, and a caller that concatenates them
/// should validate and copy them once, not once per piece.
public struct XMLMarkup: Sendable, Hashable {
    public var localName: String
    public var namespaceURI: String?
    public var bytes: [UInt8]
    public var line: Int

    public init(localName: String, namespaceURI: String?, bytes: [UInt8], line: Int) {
        self.localName = localName
        self.namespaceURI = namespaceURI
        self.bytes = bytes
        self.line = line
    }

    /// The markup as text.
    public var markup: String { String(decoding: bytes, as: UTF8.self) }
}

/// Namespace URIs that every layer refers to.
public enum XMLNamespace {
    public static let xml = "http://www.w3.org/XML/1998/namespace"
    public static let xhtml = "http://www.w3.org/1999/xhtml"
    public static let xmldsig = "http://www.w3.org/2000/09/xmldsig#"
    public static let ethereum = "urn:ethereum:constantinople"
    public static let asnx = "urn:ietf:params:xml:ns:asnx"
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
}
