import Glibc
internal import CTokenScriptXML

/// Copies a libxml2 DOM into `XMLElement` values, while the document is still alive.
struct TreeConverter {
    let document: xmlDocPtr
    let context: xmlParserCtxtPtr
    /// The bytes the document was parsed from; opaque subtrees are cut from them when possible.
    let source: [UInt8]
    let opaqueNamespaces: Set<String>
    /// Byte offsets are meaningful only when the parser read the bytes as they are (UTF-8 or ASCII).
    private let sourceIsUTF8: Bool

    init(document: xmlDocPtr, context: xmlParserCtxtPtr, source: [UInt8], opaqueNamespaces: Set<String>) {
        self.document = document
        self.context = context
        self.source = source
        self.opaqueNamespaces = opaqueNamespaces
        let encoding = ts_xml_document_encoding(document).map { String(cString: $0).uppercased() }
        sourceIsUTF8 = encoding == nil || encoding == "UTF-8" || encoding == "UTF8" || encoding == "US-ASCII"
    }

    func element(_ node: xmlNodePtr) -> XMLElement {
        let namespace = node.pointee.ns?.pointee.href.map { String(cString: $0) }
        let prefix = node.pointee.ns?.pointee.prefix.map { String(cString: $0) }
        var attributes: [XMLAttribute] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            attributes.append(
                XMLAttribute(
                    localName: String(cString: current.pointee.name),
                    namespaceURI: current.pointee.ns?.pointee.href.map { String(cString: $0) },
                    value: value(of: current)))
            attribute = current.pointee.next
        }
        var children: [XMLNode] = []
        appendChildren(of: node.pointee.children, to: &children)
        return XMLElement(
            localName: String(cString: node.pointee.name), namespaceURI: namespace, prefix: prefix,
            attributes: attributes, children: children, line: Int(xmlGetLineNo(node)))
    }

    private func appendChildren(of first: xmlNodePtr?, to children: inout [XMLNode]) {
        var child = first
        while let node = child {
            switch node.pointee.type {
            case XML_ELEMENT_NODE:
                if let namespace = node.pointee.ns?.pointee.href.map({ String(cString: $0) }),
                   opaqueNamespaces.contains(namespace)
                {
                    children.append(.markup(markup(node, namespace: namespace)))
                } else {
                    children.append(.element(element(node)))
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { children.append(.text(String(cString: content))) }
            case XML_ENTITY_REF_NODE:
                // Only left in the tree when an entity could not be substituted; its content, if any, is inline.
                appendChildren(of: node.pointee.children, to: &children)
            default:
                break  // comments, processing instructions
            }
            child = node.pointee.next
        }
    }

    private func value(of attribute: xmlAttrPtr) -> String {
        if let text = attribute.pointee.children, text.pointee.next == nil, text.pointee.type == XML_TEXT_NODE,
           let content = text.pointee.content
        {
            return String(cString: content)
        }
        guard let joined = xmlNodeListGetString(document, attribute.pointee.children, 1) else { return "" }
        defer { ts_xml_free(joined) }
        return String(cString: joined)
    }

    private func markup(_ node: xmlNodePtr, namespace: String) -> XMLMarkup {
        let text = authorBytes(of: node) ?? serialized(node)
        return XMLMarkup(
            localName: String(cString: node.pointee.name), namespaceURI: namespace, markup: text,
            line: Int(xmlGetLineNo(node)))
    }

    /// The element exactly as the author wrote it, cut from the source: far cheaper than re-serializing
    /// multi-megabyte script bundles. Nil when the element came from an entity, when the document is not
    /// UTF-8, or when it holds references to entities other than the five predefined ones (their text
    /// must be substituted, so libxml2 serializes it instead).
    private func authorBytes(of node: xmlNodePtr) -> String? {
        guard sourceIsUTF8 else { return nil }
        var begin: UInt = 0
        var end: UInt = 0
        guard ts_xml_node_range(context, node, &begin, &end) != 0 else { return nil }
        let lower = Int(begin)
        let upper = Int(end)
        guard lower < upper, upper <= source.count, source[lower] == UInt8(ascii: "<"),
              source[upper - 1] == UInt8(ascii: ">")
        else { return nil }
        return source.withUnsafeBufferPointer { buffer -> String? in
            let slice = UnsafeBufferPointer(rebasing: buffer[lower..<upper])
            guard !Self.referencesCustomEntity(slice) else { return nil }
            return String(decoding: slice, as: UTF8.self)
        }
    }

    /// Whether the text contains `&name;` for a name other than lt, gt, amp, quot, apos (or a character reference).
    static func referencesCustomEntity(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let ampersand = UInt8(ascii: "&")
        while index < bytes.count {
            guard let base = bytes.baseAddress,
                  let found = memchr(base + index, Int32(ampersand), bytes.count - index)
            else { return false }
            let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            var cursor = position + 1
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "#") {
                index = cursor
                continue
            }
            var name: [UInt8] = []
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ";"), name.count < 8 {
                name.append(bytes[cursor])
                cursor += 1
            }
            let predefined: [[UInt8]] = [Array("lt".utf8), Array("gt".utf8), Array("amp".utf8), Array("quot".utf8), Array("apos".utf8)]
            if !predefined.contains(name) { return true }
            index = cursor
        }
        return false
    }

    private func serialized(_ node: xmlNodePtr) -> String {
        let buffer = xmlBufferCreate()
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, document, node, 0, 0)
        return xmlBufferContent(buffer).map { String(cString: $0) } ?? ""
    }
}
