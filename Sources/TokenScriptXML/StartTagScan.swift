/// One linear pass over XML text that finds the start tag with the most attributes, before libxml2 sees it.
///
/// libxml2 2.9.14 checks an element's attributes for duplicates pairwise (and appends each to a linked
/// list by walking it), so one element with 80,000 attributes costs seconds and a million costs hours.
/// The scan runs over every byte libxml2 will parse as content: the document, each external entity file,
/// and each internal entity's replacement text. It follows the XML grammar for comments, CDATA sections,
/// processing instructions, declarations (the DOCTYPE with its internal subset) and quoted values, and
/// counts one attribute per `=` outside quotes in a start tag: exactly the attribute count of a
/// well-formed tag. libxml2 reads the same grammar and is stopped at its first fatal error (see
/// `XMLDocumentReader`), so it never starts parsing a tag this scan did not count.
///
/// The same pass counts what the tree will be made of — nodes (elements, attributes, comments, processing
/// instructions, CDATA sections and runs of text) and namespace declarations — because libxml2's tree costs
/// a few hundred bytes a node (16 MB of `<a/>` is 4 million elements and a gigabyte), and each prefixed
/// name is looked up through every namespace declaration in scope.
struct StartTagScan {
    /// The first start tag with more attributes than allowed: where its `<` is (1-based line and byte column).
    struct CrowdedTag: Equatable {
        var name: String
        var attributes: Int
        var line: Int
        var column: Int
    }

    /// What one pass found: an over-full tag (where the scan stopped), and the counts up to there.
    struct Summary: Equatable {
        var crowdedTag: CrowdedTag?
        var nodes = 0
        var namespaceDeclarations = 0
        /// Where the count of nodes, or of namespace declarations, first went over its limit.
        var nodesOverLimitAt: (line: Int, column: Int)?
        var namespacesOverLimitAt: (line: Int, column: Int)?

        static func == (left: Summary, right: Summary) -> Bool {
            left.crowdedTag == right.crowdedTag && left.nodes == right.nodes
                && left.namespaceDeclarations == right.namespaceDeclarations
        }
    }

    /// Returns the first start tag with more than `limit` attributes, or nil.
    static func firstCrowdedTag(in text: UnsafeBufferPointer<UInt8>, limit: Int) -> CrowdedTag? {
        scan(text, attributesPerElement: limit).crowdedTag
    }

    /// Scans all of `text`, stopping early only at an over-full tag; notes where node and namespace counts pass theirs.
    static func scan(
        _ text: UnsafeBufferPointer<UInt8>, attributesPerElement: Int, nodes: Int = .max,
        namespaceDeclarations: Int = .max
    ) -> Summary {
        var scan = StartTagScan(text: text, limit: attributesPerElement)
        scan.nodeLimit = nodes
        scan.namespaceLimit = namespaceDeclarations
        scan.summary.crowdedTag = scan.run()
        return scan.summary
    }

    static func scan(_ bytes: [UInt8], attributesPerElement: Int, nodes: Int = .max, namespaceDeclarations: Int = .max)
        -> Summary
    {
        bytes.withUnsafeBufferPointer {
            scan(
                $0, attributesPerElement: attributesPerElement, nodes: nodes,
                namespaceDeclarations: namespaceDeclarations)
        }
    }

    static func firstCrowdedTag(in bytes: [UInt8], limit: Int) -> CrowdedTag? {
        bytes.withUnsafeBufferPointer { firstCrowdedTag(in: $0, limit: limit) }
    }

    private let text: UnsafeBufferPointer<UInt8>
    private let limit: Int
    private var offset = 0
    private var line = 1
    private var lineStart = 0
    private var summary = Summary()
    private var nodeLimit = Int.max
    private var namespaceLimit = Int.max

    private init(text: UnsafeBufferPointer<UInt8>, limit: Int) {
        self.text = text
        self.limit = limit
    }

    private static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), newline = UInt8(ascii: "\n")
    private static let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), equals = UInt8(ascii: "=")

    private mutating func run() -> CrowdedTag? {
        if offset < text.count, text[offset] != Self.lt { countNode(at: offset) }  // text before the first tag
        while let start = next(Self.lt) {
            offset = start + 1
            defer {
                // A run of text follows this construct.
                if offset < text.count, text[offset] != Self.lt { countNode(at: offset) }
            }
            if !(offset < text.count && text[offset] == UInt8(ascii: "/")) { countNode(at: start) }
            if has("!--") {
                skip(past: "-->")
            } else if has("![CDATA[") {
                skip(past: "]]>")
            } else if has("?") {
                skip(past: "?>")
            } else if has("!") {
                skipDeclaration()
            } else if has("/") {
                skip(past: ">")
            } else if let crowded = startTag(at: start) {
                return crowded
            }
        }
        return nil
    }

    private mutating func countNode(at position: Int) {
        summary.nodes += 1
        if summary.nodes > nodeLimit, summary.nodesOverLimitAt == nil {
            summary.nodesOverLimitAt = (line, position - lineStart + 1)
        }
    }

    /// Counts an attribute whose name starts at `nameStart`: a node, and a namespace declaration if it is one.
    private mutating func countAttribute(nameStart: Int) {
        countNode(at: nameStart)
        let xmlns = Array("xmlns".utf8)
        guard nameStart + xmlns.count < text.count, text[nameStart..<(nameStart + xmlns.count)].elementsEqual(xmlns)
        else {
            return
        }
        let following = text[nameStart + xmlns.count]
        guard following == UInt8(ascii: ":") || following == Self.equals || following <= 0x20 else { return }
        summary.namespaceDeclarations += 1
        if summary.namespaceDeclarations > namespaceLimit, summary.namespacesOverLimitAt == nil {
            summary.namespacesOverLimitAt = (line, nameStart - lineStart + 1)
        }
    }

    /// Counts a start tag's attributes; stops at its `>`, or at a `<` (where libxml2 stops too).
    private mutating func startTag(at start: Int) -> CrowdedTag? {
        let column = start - lineStart + 1
        let tagLine = line
        var count = 0
        // Where the current attribute name began: the first byte after white space.
        var nameStart = offset
        var afterSpace = false
        while offset < text.count {
            let byte = text[offset]
            if byte <= 0x20 {
                afterSpace = true
            } else if afterSpace, byte != Self.equals, byte != Self.quote, byte != Self.apostrophe {
                afterSpace = false
                nameStart = offset
            }
            switch byte {
            case Self.gt:
                offset += 1
                return nil
            case Self.lt:
                return nil
            case Self.quote, Self.apostrophe:
                // An attribute value; `<` cannot occur in one, so it ends the tag for libxml2 as well.
                offset += 1
                while offset < text.count, text[offset] != byte, text[offset] != Self.lt { step() }
                if offset < text.count, text[offset] == byte { offset += 1 }
            case Self.equals:
                count += 1
                countAttribute(nameStart: nameStart)
                offset += 1
                if count > limit {
                    return CrowdedTag(
                        name: name(at: start + 1), attributes: countRemaining(from: count), line: tagLine,
                        column: column)
                }
            default:
                step()
            }
        }
        return nil
    }

    /// Counts the rest of an over-full tag, for the message (linear, like the scan).
    private mutating func countRemaining(from count: Int) -> Int {
        var count = count
        while offset < text.count {
            let byte = text[offset]
            if byte == Self.gt || byte == Self.lt { break }
            if byte == Self.quote || byte == Self.apostrophe {
                offset += 1
                while offset < text.count, text[offset] != byte, text[offset] != Self.lt { offset += 1 }
                if offset < text.count, text[offset] == byte { offset += 1 }
                continue
            }
            if byte == Self.equals { count += 1 }
            offset += 1
        }
        return count
    }

    private func name(at position: Int) -> String {
        var end = position
        while end < text.count, end - position < 200 {
            let byte = text[end]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == Self.gt
                || byte == UInt8(ascii: "/")
                || byte == Self.equals
            {
                break
            }
            end += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: text[position..<end]), as: UTF8.self)
    }

    /// `<!DOCTYPE …>` and other declarations: nested `<…>` (the internal subset's declarations), quoted
    /// literals, comments and processing instructions, up to the `>` that closes the first `<`.
    private mutating func skipDeclaration() {
        var depth = 1
        while offset < text.count {
            let byte = text[offset]
            if byte == Self.quote || byte == Self.apostrophe {
                offset += 1
                while offset < text.count, text[offset] != byte { step() }
                offset += 1
            } else if byte == Self.lt {
                offset += 1
                if has("!--") {
                    skip(past: "-->")
                } else if has("?") {
                    skip(past: "?>")
                } else {
                    depth += 1
                }
            } else if byte == Self.gt {
                offset += 1
                depth -= 1
                if depth == 0 { return }
            } else {
                step()
            }
        }
    }

    /// Whether the text at `offset` starts with `marker`; if so, moves past it.
    private mutating func has(_ marker: StaticString) -> Bool {
        let count = marker.utf8CodeUnitCount
        guard offset + count <= text.count else { return false }
        let pointer = marker.utf8Start
        for index in 0..<count where text[offset + index] != pointer[index] { return false }
        offset += count
        return true
    }

    /// Moves past the next `terminator` (or to the end), counting lines.
    private mutating func skip(past terminator: StaticString) {
        let first = terminator.utf8Start[0]
        while offset < text.count {
            if text[offset] == first, has(terminator) { return }
            step()
        }
    }

    /// The position of the next `byte` from `offset`, counting lines on the way.
    private mutating func next(_ byte: UInt8) -> Int? {
        while offset < text.count {
            if text[offset] == byte { return offset }
            step()
        }
        return nil
    }

    private mutating func step() {
        if text[offset] == Self.newline {
            line += 1
            lineStart = offset + 1
        }
        offset += 1
    }
}
