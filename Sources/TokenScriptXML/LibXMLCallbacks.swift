import Foundation
internal import CTokenScriptXML
import TokenScriptFileSystem

// The libxml2 callbacks of a read: errors into the session, and the entity hooks through which our budgets
// (substituted bytes, attributes, nodes, entity declarations) and the confined loader are enforced. libxml2
// calls them with the parser context; each finds its `ReadSession` through the context's user data.

/// Process-wide libxml2 set-up, done once: parser globals and our entity loader.
enum LibXML {
    static let initialized: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader(confinedEntityLoader)
    }()
}

/// Routes every libxml2 error of a parse into its session, classified.
let parserErrorHandler: xmlStructuredErrorFunc = { userData, error in
    guard let error, let userData else { return }
    let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let raw = ts_xml_context_private(context) else { return }
    let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
    // After a stop, what libxml2 says while winding down ("Extra content …") is noise.
    guard !session.halted else { return }
    let problem = error.pointee
    var message = problem.message.map { String(cString: $0) } ?? "unknown libxml2 error"
    message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    while message.last?.isWhitespace == true { message.removeLast() }
    let severity: XMLProblem.Severity = problem.level == XML_ERR_WARNING ? .warning : .error
    let kind = classify(code: Int(problem.code), message: message)
    if kind == .limit, message.contains("entity reference loop") {
        message += " (refused by the entity expansion limit: an entity bomb?)"
    }
    session.report(
        severity, kind, message,
        file: session.displayName(for: problem.file.map { String(cString: $0) }),
        line: Int(problem.line), column: Int(problem.int2))
    // Without RECOVER libxml2 goes on parsing after a fatal error (with SAX off), resynchronising where it
    // can, possibly inside what the attribute scan took for a quoted value: stop at the first one instead.
    if problem.level == XML_ERR_FATAL { session.halt(context) }
}

/// Limits libxml2 enforces show up as ordinary errors; name them so callers can tell a bomb from a typo.
func classify(code: Int, message: String) -> XMLProblem.Kind {
    if code == Int(XML_ERR_ENTITY_LOOP.rawValue) { return .limit }
    let lowered = message.lowercased()
    for marker in ["excessive depth", "amplification", "huge", "entity reference loop", "too large", "maximum"]
    where lowered.contains(marker) {
        return .limit
    }
    return .syntax
}

/// At every `&name;`: notes where it is, charges its expansion to the document's budget (and checks its
/// replacement text for over-full elements), then does what libxml2 would have done.
let chargingGetEntity: getEntitySAXFunc = { userData, name in
    guard let userData, let name else { return nil }
    let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let raw = ts_xml_context_private(context) else { return xmlSAX2GetEntity(userData, name) }
    let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
    if session.halted {
        ts_xml_halt(context)
        return nil
    }
    // libxml2 has just read `&name;`: point at its `&`.
    let referenceLength = strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)) + 2
    var line = Int(ts_xml_context_line(context))
    var column = Int(ts_xml_context_column(context))
    if column > referenceLength { column -= referenceLength }
    // Inside an entity's own parse the position is within its text: name the document's reference instead.
    if line == 0 || context != session.documentContext {
        (line, column) = session.lastReference
    } else {
        session.lastReference = (line, column)
    }
    guard let entity = xmlSAX2GetEntity(userData, name) else { return nil }
    // In the DTD libxml2 looks entities up as it declares them, which expands nothing; entity references in
    // attribute defaults there stay under libxml2's own amplification limit (and defaults are dropped).
    guard context.pointee.inSubset == 0 else { return entity }
    let cost: ExpansionCost
    do throws(ExpansionRefusal) {
        cost = try session.expansionCost(of: entity)
    } catch {
        session.report(.error, .limit, error.message, line: line, column: column)
        session.halt(context)
        return nil
    }
    // A reference met while libxml2 parses an entity's text for the first time (in a context of its own)
    // is part of that entity's expansion size, already charged at the document's reference to it.
    if context == session.documentContext {
        let entityName = String(cString: name)
        guard
            session.charge(
                cost, what: "the reference to entity '\(entityName)'", context: context, line: line, column: column)
        else { return nil }
    }
    if entity.pointee.etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY, let uri = entity.pointee.URI,
        case .allowed(let path) = session.confinement.resolve(String(cString: uri))
    {
        session.referencedEntityFile = path
    }
    return entity
}

/// At every `%name;`: an internal parameter entity is charged its replacement text (libxml2 parses it
/// again at each reference); an external one is charged when loaded.
let chargingGetParameterEntity: getParameterEntitySAXFunc = { userData, name in
    guard let userData, let name else { return nil }
    let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let raw = ts_xml_context_private(context) else { return xmlSAX2GetParameterEntity(userData, name) }
    let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
    session.referencedEntityFile = nil
    if session.halted {
        ts_xml_halt(context)
        return nil
    }
    var line = Int(ts_xml_context_line(context)), column = Int(ts_xml_context_column(context))
    if line == 0 || context != session.documentContext {
        (line, column) = session.lastReference
    } else {
        session.lastReference = (line, column)
    }
    guard let entity = xmlSAX2GetParameterEntity(userData, name) else { return nil }
    if entity.pointee.etype == XML_INTERNAL_PARAMETER_ENTITY {
        let size = Int(max(entity.pointee.length, 0))
        guard
            session.charge(
                bytes: size, what: "the reference to parameter entity '\(String(cString: name))' (\(size) bytes)",
                context: context, line: line, column: column)
        else { return nil }
    }
    return entity
}

/// At every `<!ENTITY …>`: counts it against the limit, then declares it as libxml2 would.
let countingEntityDeclaration: entityDeclSAXFunc = { userData, name, type, publicID, systemID, content in
    guard let userData else { return }
    let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
    if let raw = ts_xml_context_private(context) {
        let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
        if session.halted { return }
        session.entityDeclarations += 1
        if session.entityDeclarations > session.options.maximumEntityDeclarations {
            session.report(
                .error, .limit,
                "more than \(session.options.maximumEntityDeclarations) entity declarations in one document",
                line: Int(ts_xml_context_line(context)), column: Int(ts_xml_context_column(context)))
            session.halt(context)
            return
        }
    }
    xmlSAX2EntityDecl(userData, name, type, publicID, systemID, content)
}

/// After the internal subset: drops the DTD's attribute defaults (see `ts_xml_external_subset`).
let defaultsDroppingExternalSubset: externalSubsetSAXFunc = { userData, name, externalID, systemID in
    guard ts_xml_external_subset(userData, name, externalID, systemID) != 0, let userData else { return }
    let context = userData.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let raw = ts_xml_context_private(context) else { return }
    let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
    session.report(
        .warning, .limit, "attribute defaults declared in the DTD are not applied (TokenScript needs no DTD)",
        line: Int(ts_xml_context_line(context)), column: Int(ts_xml_context_column(context)))
}

/// The one door through which libxml2 may open anything while parsing or compiling a schema.
///
/// A document parse (its session in `_private`) gets files inside its directory only; everything
/// else — other paths, any network URL — is refused with an error and replaced by empty content,
/// so the parse continues and reports every problem at once. Schema compilation (no session) may
/// read local files, since schemas come from the operator, never from the network.
let confinedEntityLoader: xmlExternalEntityLoader = { url, publicID, context in
    guard let url else { return nil }
    let reference = String(cString: url)
    guard let context, let raw = ts_xml_context_private(context) else {
        // Relative references (a schema named on the command line) resolve against the working directory.
        let verdict = ConfinedPath(directory: "/").resolve(
            reference.hasPrefix("/") || reference.contains(":")
                ? reference : FileManager.default.currentDirectoryPath + "/" + reference)
        // A missing import must fail as an I/O error, as libxml2's own loader fails: the schema parser then
        // skips the import with a warning (2019/10's asnx.xsd imports an ethereum.xsd that was never published).
        // Failing silently reads as a parse error and the whole schema fails to compile. The trailing "/" makes
        // the open fail whatever appears at the path meanwhile (a FIFO there must not block).
        if case .missing(let path) = verdict, let context { return xmlNewInputFromFile(context, path + "/") }
        // Regular files only (checked without opening): a FIFO among a schema's imports must not block.
        guard case .allowed(let path) = verdict, RegularFile.kind(of: path) == .regular else { return nil }
        return xmlNewInputFromFile(context, path)
    }
    let session = Unmanaged<ReadSession>.fromOpaque(raw).takeUnretainedValue()
    var line = Int(ts_xml_context_line(context))
    var column = Int(ts_xml_context_column(context))
    if line == 0 { (line, column) = session.lastReference }
    let empty = { ts_xml_empty_input(context) }
    guard session.options.resolvesLocalEntities else {
        session.report(
            .error, .forbiddenAccess, "external entity '\(reference)' refused: external entities are disabled",
            line: line, column: column)
        return empty()
    }
    switch session.confinement.resolve(reference) {
    case .network(let target):
        session.report(
            .error, .forbiddenAccess, "external entity '\(target)' refused: network access is disabled", line: line,
            column: column)
        return empty()
    case .outside(let target):
        session.report(
            .error, .forbiddenAccess, "external entity '\(target)' refused: it is outside the document's directory",
            line: line, column: column)
        return empty()
    case .missing(let target):
        session.report(
            .warning, .missingResource,
            "external entity file '\(session.displayName(for: target))' "
                + "not found; parsed without its content (unbuilt source?)",
            line: line, column: column)
        return empty()
    case .allowed(let path):
        if session.halted {
            ts_xml_halt(context)
            return empty()
        }
        switch session.entityFile(path) {
        case .refused(let kind, let message, let file, let fileLine, let fileColumn):
            if let file {
                session.report(.error, kind, message, file: file, line: fileLine, column: fileColumn)
            } else {
                session.report(.error, kind, message, line: line, column: column)
            }
            return empty()
        case .loaded(let bytes):
            // A general entity was charged at its reference; anything else (a parameter entity) is charged here.
            if session.referencedEntityFile == path {
                session.referencedEntityFile = nil
            } else if !session.charge(
                bytes:
                    // No context to halt here: libxml2 2.9.14 frees an input twice when the parser stops while an
                    // entity is being loaded. The session stops it at the next callback, and the read fails.
                    bytes.count, what: "loading '\(session.displayName(for: path))' (\(bytes.count) bytes)",
                context: nil,
                line: line, column: column)
            {
                return empty()
            }
            guard !bytes.isEmpty else { return empty() }
            return bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { text in
                    ts_xml_new_memory_input(context, text.baseAddress!, Int32(text.count), path)
                }
            }
        }
    }
}
