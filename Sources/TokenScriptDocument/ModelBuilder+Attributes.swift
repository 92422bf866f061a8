import TokenScriptModel
import TokenScriptXML

extension ModelBuilder {
    /// `ts:attribute name=` (2020/03 and later).
    func attribute(_ element: XMLElement) -> AttributeDefinition? {
        checkAttributes(element, ["name", "oid", "distinct"])
        guard let name = required("name", of: element) else { return nil }
        var attribute = AttributeDefinition(
            name: name, oid: element.attribute("oid"), distinct: boolean(element, "distinct") ?? false,
            location: modelLocation(element))
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            case "type":
                for syntax in child.elements {
                    if isTokenScript(syntax, "syntax") {
                        attribute.syntax = valueSyntax(trimmedText(syntax), at: syntax)
                    } else {
                        unknown(syntax, in: child)
                    }
                }
            case "label", "name": attribute.label = localizedText(child)
            case "origins": attribute.origins = attributeOrigins(child, attribute: name)
            default: unknown(child, in: element)
            }
        }
        if attribute.origins.isEmpty {
            warn(.invalidValue, "attribute '\(name)' has no origin; it can have no value", at: element)
        }
        return attribute
    }

    /// `ts:attribute-type id= syntax=` (2019/05 to 2020/03).
    func legacyAttribute(_ element: XMLElement) -> AttributeDefinition? {
        checkAttributes(element, ["id", "name", "syntax", "oid"])
        guard let name = element.attribute("id") ?? element.attribute("name") else {
            error(.invalidValue, "<\(element.qualifiedName)> needs an 'id' attribute", at: element)
            return nil
        }
        var attribute = AttributeDefinition(
            name: name, syntax: element.attribute("syntax").map { valueSyntax($0, at: element) },
            oid: element.attribute("oid"), location: modelLocation(element))
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            case "name", "label": attribute.label = localizedText(child)
            case "origins": attribute.origins = attributeOrigins(child, attribute: name)
            default: unknown(child, in: element)
            }
        }
        return attribute
    }

    private func valueSyntax(_ oid: String, at element: XMLElement) -> ValueSyntax {
        let syntax = ValueSyntax(oid: oid)
        if syntax.type == .unknown {
            complain(.invalidValue, "unknown syntax OID '\(oid)'; values stay strings", at: element)
        }
        return syntax
    }

    /// The children of an attribute's `ts:origins`, in order.
    func attributeOrigins(_ element: XMLElement, attribute: String) -> [AttributeOrigin] {
        var origins: [AttributeOrigin] = []
        for child in element.elements {
            if let origin = attributeOrigin(child, in: element) { origins.append(origin) }
        }
        if origins.count > 1 {
            warn(
                .invalidValue,
                "attribute '\(attribute)' has \(origins.count) origins; "
                    + "runtimes use only the first (\(origins[0].kind))",
                at: element)
        }
        return origins
    }

    private func attributeOrigin(_ element: XMLElement, in parent: XMLElement) -> AttributeOrigin? {
        if isEthereum(element) {
            switch element.localName {
            case "call": return call(element, functionAttribute: "function")
            case "event": return event(element).map(AttributeOrigin.event)
            case "storage":
                checkAttributes(element, ["contract", "variable", "index"])
                return .storage(
                    EthereumStorage(
                        contract: element.attribute("contract"), variable: element.attribute("variable"),
                        index: element.attribute("index")))
            default:
                unknown(element, in: parent)
                return nil
            }
        }
        guard isTokenScript(element) else {
            unknown(element, in: parent)
            return nil
        }
        switch element.localName {
        case "ethereum":
            // 2019/05–2020/03 spelling of a call (`function=`) and, from 2019/10, of an event origin (`event=`).
            if element.attribute("event") != nil {
                return event(element, typeAttribute: "event").map(AttributeOrigin.event)
            }
            return call(element, functionAttribute: "function")
        case "token-id":
            checkAttributes(element, ["as", "bitmask"])
            return .tokenID(
                TokenIDOrigin(conversion: conversion(element), bitmask: bitmask(element), mapping: mapping(in: element))
            )
        case "user-entry":
            checkAttributes(element, ["as", "bitmask"])
            return .userEntry(
                UserEntryOrigin(
                    conversion: conversion(element), bitmask: bitmask(element), mapping: mapping(in: element)))
        case "data":
            checkAttributes(element, ["ref"])
            if let reference = element.attribute("ref") {
                guard let path = AttributePath(reference) else {
                    complain(.invalidValue, "ts:data ref=\"\(reference)\" is not an attribute path", at: element)
                    return nil
                }
                return .path(path)
            }
            let arguments = dataArguments(element)
            if let first = arguments.first { return .literal(first) }
            return .literal(DataArgument(type: "string", source: .literal(trimmedText(element))))
        case "attribute":
            guard let reference = required("ref", of: element) else { return nil }
            return .attributeReference(reference)
        default:
            unknown(element, in: parent)
            return nil
        }
    }

    private func call(_ element: XMLElement, functionAttribute: String) -> AttributeOrigin? {
        checkAttributes(element, ["contract", "function", "as", "bitmask", "network"])
        guard let function = required(functionAttribute, of: element) else { return nil }
        var arguments: [DataArgument] = []
        for child in element.elements {
            if isTokenScript(child, "data") {
                arguments += dataArguments(child)
            } else if !isTokenScript(child, "mapping") {
                unknown(child, in: element)
            }
        }
        return .call(
            EthereumCall(
                contract: element.attribute("contract"), function: function, conversion: conversion(element),
                bitmask: bitmask(element), arguments: arguments, mapping: mapping(in: element)))
    }

    /// `ethereum:event type= contract= filter= select=`; also used by activity cards. Before 2020/06 the same
    /// origin is `ts:ethereum event= contract= filter= select=`: `typeAttribute` is then `event`.
    func event(_ element: XMLElement, typeAttribute: String = "type") -> EthereumEvent? {
        checkAttributes(element, [typeAttribute, "contract", "filter", "select"])
        guard let type = required(typeAttribute, of: element) else { return nil }
        let filterText = element.attribute("filter")
        var terms: [EthereumEvent.FilterTerm] = []
        for pair in (filterText ?? "").split(separator: "&") where !pair.isEmpty {
            guard let equals = pair.firstIndex(of: "=") else {
                complain(.invalidValue, "event filter term '\(pair)' is not name=value", at: element)
                continue
            }
            let field = String(pair[..<equals]).trimmingWhitespace()
            let valueText = String(pair[pair.index(after: equals)...]).trimmingWhitespace()
            guard let value = Self.interpolated(valueText) else {
                complain(.invalidValue, "event filter value '\(valueText)' has an unterminated ${", at: element)
                continue
            }
            terms.append(.init(field: field, value: value))
        }
        for child in element.elements { unknown(child, in: element) }
        return EthereumEvent(
            contract: element.attribute("contract"), type: type, filterText: filterText, filter: terms,
            select: element.attribute("select"))
    }

    /// Splits `label=${tokenId}`-style values into literal text and `${name}` references.
    static func interpolated(_ text: String) -> FilterValue? {
        var segments: [FilterValue.Segment] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            if start.lowerBound > rest.startIndex { segments.append(.literal(String(rest[..<start.lowerBound]))) }
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { return nil }
            segments.append(.reference(String(rest[start.upperBound..<end])))
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { segments.append(.literal(String(rest))) }
        return FilterValue(segments: segments)
    }

    /// The ordered arguments of a `ts:data`: element name = ABI type; `ref`, `local-ref` or literal text.
    func dataArguments(_ element: XMLElement) -> [DataArgument] {
        var arguments: [DataArgument] = []
        for child in tokenScriptChildren(of: element) {
            checkAttributes(child, ["ref", "local-ref", "name"])
            if !Self.isABIType(child.localName) {
                complain(.invalidValue, "<\(child.qualifiedName)> is not an ABI type", at: child)
            }
            let source: DataArgument.Source
            if let reference = child.attribute("ref") {
                source = .reference(reference)
            } else if let reference = child.attribute("local-ref") {
                source = .localReference(reference)
            } else {
                source = .literal(trimmedText(child))
            }
            arguments.append(DataArgument(type: child.localName, name: child.attribute("name"), source: source))
        }
        return arguments
    }

    static func isABIType(_ name: String) -> Bool {
        switch name {
        case "address", "bool", "string", "bytes", "byte", "struct", "abi": return true
        default:
            for (prefix, range) in [("uint", 8...256), ("int", 8...256), ("bytes", 1...32)] where name.hasPrefix(prefix)
            {
                let digits = name.dropFirst(prefix.count)
                if digits.isEmpty { return prefix != "bytes" }
                if let size = Int(digits), range.contains(size), prefix == "bytes" || size % 8 == 0 { return true }
            }
            return false
        }
    }

    /// A `ts:mapping` child of an origin, if there is one.
    func mapping(in element: XMLElement) -> Mapping? {
        guard let mapping = element.elements.first(where: { isTokenScript($0, "mapping") }) else { return nil }
        var options: [Mapping.Option] = []
        for option in mapping.elements {
            guard isTokenScript(option, "option"), let key = required("key", of: option) else {
                if !isTokenScript(option, "option") { unknown(option, in: mapping) }
                continue
            }
            var values: [LocalizedText.Entry] = []
            for value in option.elements {
                guard isTokenScript(value, "value") else {
                    unknown(value, in: option)
                    continue
                }
                values.append(.init(language: value.language, text: trimmedText(value)))
            }
            options.append(.init(key: key, value: LocalizedText(values)))
        }
        return Mapping(options: options)
    }
}
