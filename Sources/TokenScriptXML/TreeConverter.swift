internal import CTokenScriptXML

/// Copies a libxml2 DOM into `XMLElement` values, while the document is still alive.
struct TreeConverter {
    let document: xmlDocPtr
    let opaqueNamespaces: Set<String>

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
        var writer = MarkupWriter()
        writer.write(node)
        return XMLMarkup(
            localName: String(cString: node.pointee.name), namespaceURI: namespace,
            bytes: writer.bytes, line: Int(xmlGetLineNo(node)))
    }
}
