internal import CTokenScriptXML
import TokenScriptFileSystem

/// What one read has learnt about the files its entities name: read once, checked once, kept for the loader.
enum EntityFile {
    case loaded([UInt8])
    case refused(XMLProblem.Kind, String, file: String?, line: Int, column: Int)
}

/// What one reference to an entity adds to the document: bytes, tree nodes and namespace declarations,
/// nested references included.
struct ExpansionCost {
    var bytes = 0
    var nodes = 0
    var namespaceDeclarations = 0

    /// Adds `other` (saturating), and subtracts the reference's own bytes, which the expansion replaces.
    mutating func add(_ other: ExpansionCost, replacing referenceBytes: Int) {
        bytes = max(bytes.addingSaturated(other.bytes) - referenceBytes, 0)
        nodes = nodes.addingSaturated(other.nodes)
        namespaceDeclarations = namespaceDeclarations.addingSaturated(other.namespaceDeclarations)
    }
}

extension Int {
    func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

/// Why an entity reference is refused before libxml2 expands it.
struct ExpansionRefusal: Error {
    var message: String
}

extension ReadSession {
    /// Reads (once) an entity file that confinement allowed: regular files only, UTF-8, under the per-file
    /// cap, and no element in it with too many attributes.
    func entityFile(_ path: String) -> EntityFile {
        if let known = entityFiles[path] { return known }
        let display = displayName(for: path)
        let result: EntityFile
        do {
            var bytes = try RegularFile.read(path, limit: options.maximumEntityFileBytes)
            // The text declaration goes: the parse ignores encoding declarations (the attribute scan read
            // UTF-8), and libxml2 then calls a text declaration without one malformed.
            let declaration = XMLDeclaration(bytes)
            if let declaration { bytes.removeFirst(declaration.length) }
            if let encoding = declaration?.encoding, !XMLDeclaration.isUTF8(encoding) {
                result = .refused(
                    .syntax, "external entity '\(display)' declares the encoding '\(encoding)': only UTF-8 is read",
                    file: nil, line: 0, column: 0)
            } else if let encoding = XMLDocumentReader.unsupportedEncoding(bytes) {
                result = .refused(.syntax, "external entity '\(display)' \(encoding)", file: nil, line: 0, column: 0)
            } else if let crowded = StartTagScan.firstCrowdedTag(in: bytes, limit: options.maximumAttributesPerElement)
            {
                result = .refused(
                    .limit, XMLDocumentReader.crowdedMessage(crowded, limit: options.maximumAttributesPerElement),
                    file: display, line: crowded.line, column: crowded.column)
            } else {
                result = .loaded(bytes)
            }
        } catch {
            let kind: XMLProblem.Kind = if case .tooLarge = error.reason { .limit } else { .forbiddenAccess }
            result = .refused(kind, "external entity '\(display)' \(error.message)", file: nil, line: 0, column: 0)
        }
        entityFiles[path] = result
        return result
    }

    /// What one reference to `entity` expands to, nested references included (memoized per entity);
    /// refuses an entity whose replacement text holds an element with too many attributes.
    func expansionCost(of entity: xmlEntityPtr) throws(ExpansionRefusal) -> ExpansionCost {
        let key = Int(bitPattern: UnsafeRawPointer(entity))
        if let known = expansionCosts[key] { return known }
        guard expansionsInProgress.insert(key).inserted else { return ExpansionCost() }  // a loop: libxml2 reports it
        defer { expansionsInProgress.remove(key) }
        let name = entity.pointee.name.map { String(cString: $0) } ?? "?"
        var cost = ExpansionCost()
        func measure(_ text: UnsafeBufferPointer<UInt8>) throws(ExpansionRefusal) {
            let scan = StartTagScan.scan(text, attributesPerElement: options.maximumAttributesPerElement)
            if let crowded = scan.crowdedTag {
                throw ExpansionRefusal(
                    message: "entity '\(name)': "
                        + XMLDocumentReader.crowdedMessage(crowded, limit: options.maximumAttributesPerElement))
            }
            cost = ExpansionCost(
                bytes: text.count, nodes: scan.nodes, namespaceDeclarations: scan.namespaceDeclarations)
            try addNested(in: text, document: entity.pointee.doc, to: &cost)
        }
        switch entity.pointee.etype {
        case XML_INTERNAL_GENERAL_ENTITY:
            guard let content = entity.pointee.content else { break }
            try measure(UnsafeBufferPointer(start: content, count: Int(entity.pointee.length)))
        case XML_EXTERNAL_GENERAL_PARSED_ENTITY:
            guard options.resolvesLocalEntities, let uri = entity.pointee.URI.map({ String(cString: $0) }),
                case .allowed(let path) = confinement.resolve(uri), case .loaded(let bytes) = entityFile(path)
            else { break }
            try bytes.withUnsafeBufferPointer { text throws(ExpansionRefusal) in try measure(text) }
        default:
            cost.bytes = Int(max(entity.pointee.length, 0))
        }
        expansionCosts[key] = cost
        return cost
    }

    /// Adds what the `&name;` references in `text` expand to, less their own bytes.
    private func addNested(in text: UnsafeBufferPointer<UInt8>, document: xmlDocPtr?, to cost: inout ExpansionCost)
        throws(ExpansionRefusal)
    {
        guard let document else { return }
        var index = 0
        let ampersand = UInt8(ascii: "&"), semicolon = UInt8(ascii: ";"), hash = UInt8(ascii: "#")
        while index < text.count {
            guard text[index] == ampersand else {
                index += 1
                continue
            }
            var end = index + 1
            while end < text.count, end - index < 1024, text[end] != semicolon, text[end] != ampersand,
                text[end] > 0x20, text[end] != UInt8(ascii: "<")
            {
                end += 1
            }
            guard end < text.count, text[end] == semicolon, end > index + 1, text[index + 1] != hash else {
                index += 1
                continue
            }
            let name = Array(text[(index + 1)..<end]) + [0]
            if let nested = xmlGetDocEntity(document, name) {
                cost.add(try expansionCost(of: nested), replacing: end + 1 - index)
                if cost.bytes > budget.limit { return }
            }
            index = end + 1
        }
    }

    /// Charges one expansion's bytes, nodes and namespace declarations; on going over a limit, reports where
    /// and stops the parse.
    func charge(_ cost: ExpansionCost, what: String, context: xmlParserCtxtPtr?, line: Int, column: Int) -> Bool {
        guard
            charge(
                bytes: cost.bytes, what: "\(what) (\(cost.bytes) bytes)", context: context, line: line, column: column)
        else { return false }
        nodes = nodes.addingSaturated(cost.nodes)
        namespaceDeclarations = namespaceDeclarations.addingSaturated(cost.namespaceDeclarations)
        if nodes > options.maximumNodes {
            report(
                .error, .limit,
                "\(what) would bring the document to \(nodes) nodes (elements, attributes, text runs, comments, "
                    + "instructions), over the limit of \(options.maximumNodes) nodes per document",
                line: line, column: column)
        } else if namespaceDeclarations > options.maximumNamespaceDeclarations {
            report(
                .error, .limit,
                "\(what) would bring the document to \(namespaceDeclarations) "
                    + "namespace declarations, over the limit of "
                    + "\(options.maximumNamespaceDeclarations) per document",
                line: line, column: column)
        } else {
            return true
        }
        halt(context)
        return false
    }

    func charge(bytes: Int, what: String, context: xmlParserCtxtPtr?, line: Int, column: Int) -> Bool {
        if budget.charge(bytes) { return true }
        report(
            .error, .limit,
            "\(what) would bring the document's substituted and included bytes to at least \(budget.used), "
                + budget.explanation,
            line: line, column: column)
        halt(context)
        return false
    }

    /// Stops this parse for good: the context that is running now, and every later callback.
    func halt(_ context: xmlParserCtxtPtr?) {
        halted = true
        ts_xml_halt(context)
    }
}
