import TokenScriptModel
import TokenScriptXML

extension ModelBuilder {
    /// `ts:attestation name= type=` (2022/09+).
    func attestation(_ element: XMLElement) -> AttestationDefinition? {
        checkAttributes(element, ["name", "type"])
        guard let name = required("name", of: element) else { return nil }
        var definition = AttestationDefinition(
            name: name, type: element.attribute("type"), location: modelLocation(element))
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            case "meta": readAttestationMeta(child, into: &definition)
            case "key":
                let key = trimmedText(child)
                if !key.isEmpty { definition.keys.append(key) }
            case "eventId":
                let field = trimmedText(child)
                if !field.isEmpty { definition.collectionFields.append(field) }
            case "collectionFields":
                for field in child.elements {
                    if isTokenScript(field, "collectionField"), let fieldName = required("name", of: field) {
                        definition.collectionFields.append(fieldName)
                    } else if !isTokenScript(field, "collectionField") {
                        unknown(field, in: child)
                    }
                }
            case "idFields":
                definition.idFields = trimmedText(child).split(separator: ",").map { String($0).trimmingWhitespace() }
                    .filter { !$0.isEmpty }
            case "eas":
                definition.easSchemaUID = required("schemaUID", of: child)
            default: unknown(child, in: element)
            }
        }
        if definition.keys.isEmpty {
            complain(.invalidValue, "attestation '\(name)' has no ts:key; no issuer can be trusted", at: element)
        }
        return definition
    }

    private func readAttestationMeta(_ element: XMLElement, into definition: inout AttestationDefinition) {
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            case "name":
                definition.displayName.entries.append(.init(language: child.language, text: trimmedText(child)))
            case "image": definition.image = trimmedText(child)
            case "description":
                definition.description.entries.append(.init(language: child.language, text: trimmedText(child)))
            case "attributeField":
                if let fieldName = required("name", of: child) {
                    definition.fields.append(
                        .init(
                            name: fieldName, label: localizedText(child),
                            displayType: child.attribute("display_type")))
                }
            default: unknown(child, in: element)
            }
        }
    }

    /// `asnx:module`: event ABIs. Its children are unqualified, as in the published examples. From 2020/06 it
    /// sits under the root and holds `namedType`s, one per event; in 2019/10 and 2020/03 it sits in
    /// `ts:contract`, is itself the event (its name is the type's) and holds the `sequence` directly. Both read
    /// into the same `EventModule`.
    func eventModule(_ element: XMLElement) -> EventModule {
        var module = EventModule(name: element.attribute("name") ?? "", types: [])
        for child in element.elements {
            switch child.localName {
            case "namedType":
                guard let name = required("name", of: child) else { continue }
                var fields: [EventModule.EventType.Field] = []
                for type in child.elements where type.localName == "type" {
                    for sequence in type.elements where sequence.localName == "sequence" {
                        fields += eventFields(sequence)
                    }
                }
                module.types.append(.init(name: name, fields: fields))
            case "sequence":
                guard let name = required("name", of: element) else { continue }
                module.types.append(.init(name: name, fields: eventFields(child)))
            default: continue
            }
        }
        return module
    }

    /// The `element`s of an ASN.X `sequence`: `ethereum:type` and `ethereum:indexed`, or 2019/10's unqualified
    /// `ethereum-type` (that version cannot mark a field indexed).
    private func eventFields(_ sequence: XMLElement) -> [EventModule.EventType.Field] {
        var fields: [EventModule.EventType.Field] = []
        for field in sequence.elements where field.localName == "element" {
            guard let fieldName = required("name", of: field) else { continue }
            var abiType =
                field.attribute("type", namespaceURI: XMLNamespace.ethereum) ?? field.attribute("ethereum-type") ?? ""
            if abiType == "uint" || abiType == "int" { abiType += "256" }
            if abiType.isEmpty {
                complain(.invalidValue, "event field '\(fieldName)' has no ethereum:type", at: field)
            }
            let indexed = field.attribute("indexed", namespaceURI: XMLNamespace.ethereum) == "true"
            fields.append(.init(name: fieldName, type: abiType, indexed: indexed))
        }
        return fields
    }

    /// Records the shape of `ds:Signature`; the cryptography is checked elsewhere.
    func signature(_ element: XMLElement) -> SignatureInfo {
        var info = SignatureInfo(location: modelLocation(element))
        let dsig = XMLNamespace.xmldsig
        func children(_ parent: XMLElement, _ name: String) -> [XMLElement] {
            parent.elements.filter { $0.localName == name && $0.namespaceURI == dsig }
        }
        for signedInfo in children(element, "SignedInfo") {
            info.canonicalizationMethod = children(signedInfo, "CanonicalizationMethod").first?.attribute("Algorithm")
            info.signatureMethod = children(signedInfo, "SignatureMethod").first?.attribute("Algorithm")
            for reference in children(signedInfo, "Reference") {
                info.referenceCount += 1
                for transforms in children(reference, "Transforms") {
                    info.transforms += children(transforms, "Transform").compactMap { $0.attribute("Algorithm") }
                }
                info.digestMethods += children(reference, "DigestMethod").compactMap { $0.attribute("Algorithm") }
            }
        }
        info.hasSignatureValue = !children(element, "SignatureValue").isEmpty
        for keyInfo in children(element, "KeyInfo") {
            for item in keyInfo.elements {
                info.keyInfo.append(item.localName)
                if item.localName == "X509Data" {
                    info.certificateCount += item.elements.filter { $0.localName == "X509Certificate" }.count
                }
            }
        }
        if !info.isWellFormed {
            complain(
                .invalidValue,
                "ds:Signature is incomplete (needs SignedInfo with CanonicalizationMethod, "
                    + "SignatureMethod, a Reference with DigestMethod, and SignatureValue)",
                at: element)
        }
        return info
    }
}
