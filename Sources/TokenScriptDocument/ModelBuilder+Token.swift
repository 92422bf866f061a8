import Foundation
import TokenScriptModel
import TokenScriptXML

extension ModelBuilder {
    /// Builds the model, or returns nil (with an error diagnostic) when the root is not TokenScript.
    func build() -> TokenScript? {
        let root = xml.root
        guard let uri = root.namespaceURI, let version = SchemaVersion(namespace: uri) else {
            let found = root.namespaceURI.map { "namespace '\($0)'" } ?? "no namespace"
            error(
                .namespace,
                "root element <\(root.qualifiedName)> is not in a TokenScript namespace "
                    + "(found \(found); expected http://tokenscript.org/YYYY/MM/tokenscript)",
                at: root)
            return nil
        }
        namespace = uri
        if !version.isPublished {
            warn(.namespace, "namespace version \(version) is not a published TokenScript version", at: root)
        }
        var script = TokenScript(namespace: uri, version: version)
        switch root.localName {
        case "token":
            checkAttributes(root, ["name", "custodian"])
            script.name = root.attribute("name")
            script.custodian = root.attribute("custodian")
            readTokenChildren(of: root, into: &script)
            // Our server-side extension (ModelBuilder+Server.swift); other foreign namespaces stay ignored.
            readServerExtension(of: root, into: &script)
        case "card", "action":
            script.root = .card
            script.name = root.attribute("name")
            var contracts: [Contract] = []
            let card = card(root, position: 1, isRoot: true, contracts: &contracts)
            script.contracts = contracts
            script.cards = [card]
            for child in root.elements where isSignature(child) { script.signature = signature(child) }
        default:
            error(
                .unknownConstruct,
                "root element <\(root.qualifiedName)> is neither <ts:token> nor an action-only <ts:card>", at: root)
            return nil
        }
        resolveViewContentReferences(in: script)
        reportTemplateVariables()
        return script
    }

    private func readTokenChildren(of root: XMLElement, into script: inout TokenScript) {
        for child in root.elements {
            if child.namespaceURI == XMLNamespace.asnx, child.localName == "module" {
                script.eventModules.append(eventModule(child))
                continue
            }
            if isSignature(child) {
                script.signature = signature(child)
                continue
            }
            guard isTokenScript(child) else {
                unknown(child, in: root)
                continue
            }
            switch child.localName {
            case "label", "name": script.label = localizedText(child)
            case "meta": script.meta = meta(child)
            case "contract":
                script.contracts.append(contract(child))
                // 2019/10 and 2020/03 declare event ABIs inside the contract; 2020/06 moved them to the root.
                for module in child.elements
                where module.namespaceURI == XMLNamespace.asnx && module.localName == "module" {
                    script.eventModules.append(eventModule(module))
                }
            case "origins": script.origins += tokenOrigins(child)
            case "ethereum":
                // 2019 drafts put the holding contract directly under the root.
                if let name = child.attribute("contract") { script.origins.append(.contract(name)) }
            case "selection": if let selection = selection(child) { script.selections.append(selection) }
            case "selections": script.selections += tokenScriptChildren("selection", of: child, selection)
            case "cards": readCards(child, into: &script)
            case "attribute": if let attribute = attribute(child) { script.attributes.append(attribute) }
            case "attribute-type": if let attribute = legacyAttribute(child) { script.attributes.append(attribute) }
            case "attribute-types":
                script.attributes += tokenScriptChildren("attribute-type", of: child, legacyAttribute)
            case "transaction":
                if let named = namedTransaction(child) { script.transactions.append(named) }
            case "attestation": if let attestation = attestation(child) { script.attestations.append(attestation) }
            case "style": script.style = child.text
            case "grouping", "ordering", "appearance", "feature", "features":
                break  // ERC-875-era display hints that no runtime reads.
            default: unknown(child, in: root)
            }
        }
    }

    /// tokenscript-cli sources hold `$tst{NAME}` placeholders that its build step fills in; say so once.
    private func reportTemplateVariables() {
        let marker: [UInt8] = Array("$tst{".utf8)
        let found: Int? = xml.source.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return nil }
            var offset = 0
            while offset + marker.count <= bytes.count,
                let hit = memchr(base + offset, Int32(marker[0]), bytes.count - offset)
            {
                let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if position + marker.count <= bytes.count,
                    marker.indices.allSatisfy({ bytes[position + $0] == marker[$0] })
                {
                    return position
                }
                offset = position + 1
            }
            return nil
        }
        guard let found else { return }
        let before = xml.source[..<found]
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = String(decoding: xml.source[lineStart..<found], as: UTF8.self).count + 1
        diagnostics.append(
            Diagnostic(
                .warning, .missingResource,
                "unsubstituted tokenscript-cli template variables "
                    + "($tst{…}): an unbuilt source, values are placeholders",
                at: SourceLocation(file: file, line: line, column: column)))
    }

    func isSignature(_ element: XMLElement) -> Bool {
        element.namespaceURI == XMLNamespace.xmldsig && element.localName == "Signature"
    }

    /// `ts:label`, `ts:name`, `ts:denial` …: strings per language, possibly grouped as plurals.
    func localizedText(_ element: XMLElement) -> LocalizedText {
        var entries: [LocalizedText.Entry] = []
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            case "string":
                entries.append(
                    .init(language: child.language, quantity: child.attribute("quantity"), text: trimmedText(child)))
            case "plurals":
                for item in child.elements {
                    guard isTokenScript(item, "string") else {
                        unknown(item, in: child)
                        continue
                    }
                    entries.append(
                        .init(
                            language: item.language ?? child.language, quantity: item.attribute("quantity"),
                            text: trimmedText(item)))
                }
            default: unknown(child, in: element)
            }
        }
        if entries.isEmpty {
            let text = trimmedText(element)
            if !text.isEmpty { entries.append(.init(language: element.language, text: text)) }
        }
        return LocalizedText(entries)
    }

    private func meta(_ element: XMLElement) -> Meta {
        var meta = Meta()
        for child in tokenScriptChildren(of: element) {
            let entry = LocalizedText.Entry(language: child.language, text: trimmedText(child))
            switch child.localName {
            case "description": meta.description.entries.append(entry)
            case "aboutUrl": meta.aboutURL.entries.append(entry)
            case "iconUrl": meta.iconURL.entries.append(entry)
            case "imageUrl": meta.imageURL.entries.append(entry)
            case "backgroundImageUrl": meta.backgroundImageURL.entries.append(entry)
            case "env":
                if let name = required("name", of: child) {
                    meta.environment.append(.init(name: name, value: child.text))
                }
            default: unknown(child, in: element)
            }
        }
        return meta
    }

    func contract(_ element: XMLElement) -> Contract {
        checkAttributes(element, ["name", "interface"])
        var contract = Contract(name: required("name", of: element) ?? "", interface: element.attribute("interface"))
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            case "address":
                let address = trimmedText(child)
                if !Self.looksLikeAddress(address) && !address.contains("$tst{") {
                    complain(.invalidValue, "contract '\(contract.name)': '\(address)' is not a 0x address", at: child)
                }
                contract.addresses.append(.init(network: child.attribute("network") ?? "1", address: address))
            case "interface": contract.interface = trimmedText(child)
            case "abi": contract.abi = child.text
            default: unknown(child, in: element)
            }
        }
        return contract
    }

    static func looksLikeAddress(_ text: String) -> Bool {
        text.count == 42 && text.hasPrefix("0x") && text.dropFirst(2).allSatisfy({ $0.isASCII && $0.isHexDigit })
    }

    private func tokenOrigins(_ element: XMLElement) -> [TokenOrigin] {
        var origins: [TokenOrigin] = []
        for child in tokenScriptChildren(of: element) {
            switch child.localName {
            case "ethereum":
                if let name = required("contract", of: child) { origins.append(.contract(name)) }
            case "attestation":
                if let name = required("name", of: child) { origins.append(.attestation(name)) }
            default: unknown(child, in: element)
            }
        }
        return origins
    }
}
