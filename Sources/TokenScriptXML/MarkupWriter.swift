import Glibc
internal import CTokenScriptXML

/// Serializes an opaque subtree (a card view's XHTML) to XML text in one pass over its nodes.
///
/// libxml2's `xmlNodeDump` spends most of its time escaping multi-megabyte script bundles one
/// character at a time; this writer copies unescaped runs in bulk and escapes only `&`, `<`, `>`
/// (and `"` in attribute values). Namespace declarations on the subtree are kept; comments too.
struct MarkupWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ node: xmlNodePtr) {
        switch node.pointee.type {
        case XML_ELEMENT_NODE: writeElement(node)
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: escape(node.pointee.content, quotes: false)
        case XML_ENTITY_REF_NODE: writeChildren(node.pointee.children)
        case XML_COMMENT_NODE:
            append("<!--")
            raw(node.pointee.content)
            append("-->")
        default: break
        }
    }

    private mutating func writeElement(_ node: xmlNodePtr) {
        bytes.append(UInt8(ascii: "<"))
        writeName(node.pointee.ns?.pointee.prefix, node.pointee.name)
        var declaration = node.pointee.nsDef
        while let current = declaration {
            append(" xmlns")
            if let prefix = current.pointee.prefix {
                bytes.append(UInt8(ascii: ":"))
                raw(prefix)
            }
            append("=\"")
            escape(current.pointee.href, quotes: true)
            bytes.append(UInt8(ascii: "\""))
            declaration = current.pointee.next
        }
        var attribute = node.pointee.properties
        while let current = attribute {
            bytes.append(UInt8(ascii: " "))
            writeName(current.pointee.ns?.pointee.prefix, current.pointee.name)
            append("=\"")
            var child = current.pointee.children
            while let text = child {
                if text.pointee.type == XML_TEXT_NODE { escape(text.pointee.content, quotes: true) }
                child = text.pointee.next
            }
            bytes.append(UInt8(ascii: "\""))
            attribute = current.pointee.next
        }
        guard let first = node.pointee.children else {
            append("/>")
            return
        }
        bytes.append(UInt8(ascii: ">"))
        writeChildren(first)
        append("</")
        writeName(node.pointee.ns?.pointee.prefix, node.pointee.name)
        bytes.append(UInt8(ascii: ">"))
    }

    private mutating func writeChildren(_ first: xmlNodePtr?) {
        var child = first
        while let node = child {
            write(node)
            child = node.pointee.next
        }
    }

    private mutating func writeName(_ prefix: UnsafePointer<xmlChar>?, _ name: UnsafePointer<xmlChar>?) {
        if let prefix {
            raw(prefix)
            bytes.append(UInt8(ascii: ":"))
        }
        raw(name)
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func raw(_ text: UnsafePointer<xmlChar>?) {
        guard let text else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(start: text, count: strlen(text)))
    }

    /// Copies `text`, replacing markup characters by their predefined entities; runs without them are
    /// found with libc's vectorised `strcspn` and copied in bulk.
    private mutating func escape(_ text: UnsafePointer<xmlChar>?, quotes: Bool) {
        guard var cursor = text else { return }
        let stops: StaticString = quotes ? "&<>\"" : "&<>"
        let stopList = UnsafeRawPointer(stops.utf8Start).assumingMemoryBound(to: CChar.self)
        while true {
            let run = cursor.withMemoryRebound(to: CChar.self, capacity: 1) { Int(strcspn($0, stopList)) }
            if run > 0 { bytes.append(contentsOf: UnsafeBufferPointer(start: cursor, count: run)) }
            cursor += run
            switch cursor.pointee {
            case 0: return
            case 0x26: append("&amp;")
            case 0x3C: append("&lt;")
            case 0x3E: append("&gt;")
            default: append("&quot;")
            }
            cursor += 1
        }
    }
}

private func strlen(_ text: UnsafePointer<xmlChar>) -> Int {
    text.withMemoryRebound(to: CChar.self, capacity: 1) { Int(Glibc.strlen($0)) }
}
