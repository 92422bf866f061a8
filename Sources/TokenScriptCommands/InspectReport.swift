import TokenScriptModel

/// The documented JSON of `tokenscript inspect --json` (see README, "inspect --json").
///
/// A stable projection of the model: names, kinds and references, without view markup.
/// Optional fields are omitted when the document does not set them.
package struct InspectReport: Codable, Sendable, Equatable {
    package struct ContractReport: Codable, Sendable, Equatable {
        package struct AddressReport: Codable, Sendable, Equatable {
            package var network: String
            package var address: String
        }

        package var name: String
        package var interface: String?
        package var addresses: [AddressReport]
        package var hasABI: Bool
    }

    package struct OriginReport: Codable, Sendable, Equatable {
        /// `contract` or `attestation`.
        package var kind: String
        package var name: String
    }

    package struct AttributeReport: Codable, Sendable, Equatable {
        package var name: String
        /// `token`, or the name of the card that declares it.
        package var scope: String
        package var label: String?
        /// The value type from the syntax OID (`string`, `integer`, `boolean` …).
        package var type: String?
        /// Origin kinds in order (`ethereum:call`, `ts:token-id` …); the first is the one evaluated.
        package var origins: [String]
        /// `as=` of the first origin.
        package var `as`: String?
        /// Names the first origin reads: attributes and special refs (`tokenId`, `ownerAddress` …).
        package var dependsOn: [String]
        package var line: Int?
    }

    package struct CardReport: Codable, Sendable, Equatable {
        package var name: String
        package var type: String
        package var label: String?
        package var exclude: [String]
        package var attributes: [String]
        package var transaction: String?
        package var views: Int
    }

    package struct SelectionReport: Codable, Sendable, Equatable {
        package var name: String
        package var filter: String
        package var label: String?
        /// Attributes the filter compares or interpolates.
        package var dependsOn: [String]
    }

    package struct TransactionReport: Codable, Sendable, Equatable {
        /// The name of a top-level transaction, or `card:<name>` for a card's transaction.
        package var name: String
        package var contract: String?
        package var function: String?
        package var signature: String?
        package var arguments: [String]
        package var value: String?
    }

    package struct AttestationReport: Codable, Sendable, Equatable {
        package var name: String
        package var type: String?
        package var keys: [String]
        package var collectionFields: [String]
        package var idFields: [String]
        package var easSchemaUID: String?
    }

    package struct SignatureReport: Codable, Sendable, Equatable {
        package var signatureMethod: String?
        package var canonicalizationMethod: String?
        package var keyInfo: [String]
        package var wellFormed: Bool
    }

    package var file: String
    package var namespace: String
    package var version: String
    package var root: String
    package var name: String?
    package var label: String?
    package var contracts: [ContractReport]
    package var origins: [OriginReport]
    package var attributes: [AttributeReport]
    package var cards: [CardReport]
    package var selections: [SelectionReport]
    package var transactions: [TransactionReport]
    package var attestations: [AttestationReport]
    package var eventTypes: [String]
    package var signature: SignatureReport?
    /// The `sl:server` extension, when the document has one.
    package var server: InspectServerReport?
    package var warnings: Int
    package var errors: Int

    package init(file: String, script: TokenScript, diagnostics: [Diagnostic], language: String = "en") {
        let languages = [language]
        self.file = file
        namespace = script.namespace
        version = script.version.description
        root = script.root.rawValue
        name = script.name
        label = script.label.text(preferring: languages, count: 1)
        contracts = script.contracts.map { contract in
            ContractReport(
                name: contract.name, interface: contract.interface,
                addresses: contract.addresses.map { .init(network: $0.network, address: $0.address) },
                hasABI: contract.abi != nil)
        }
        origins = script.origins.map { origin in
            switch origin {
            case .contract(let name): OriginReport(kind: "contract", name: name)
            case .attestation(let name): OriginReport(kind: "attestation", name: name)
            }
        }
        attributes = script.allAttributes.map { scope, attribute in
            var conversion: ValueConversion?
            switch attribute.origin {
            case .call(let call): conversion = call.conversion
            case .tokenID(let origin): conversion = origin.conversion
            case .userEntry(let origin): conversion = origin.conversion
            default: conversion = nil
            }
            return AttributeReport(
                name: attribute.name, scope: scope.description, label: attribute.label.text(preferring: languages),
                type: attribute.syntax?.type.rawValue, origins: attribute.origins.map(\.kind),
                as: conversion?.description, dependsOn: attribute.referencedNames,
                line: attribute.location.map(\.line))
        }
        cards = script.cards.map { card in
            CardReport(
                name: card.name, type: card.kind.description, label: card.label.text(preferring: languages),
                exclude: card.exclude, attributes: card.attributes.map(\.name),
                transaction: card.transaction.flatMap { $0.signature ?? $0.to.map { "send to \($0)" } },
                views: card.views.count)
        }
        selections = (script.selections + script.cards.flatMap(\.selections)).map { selection in
            SelectionReport(
                name: selection.name, filter: selection.filterText, label: selection.label.text(preferring: languages),
                dependsOn: selection.filter?.referencedAttributes ?? [])
        }
        func report(_ name: String, _ transaction: EthereumTransaction) -> TransactionReport {
            TransactionReport(
                name: name, contract: transaction.contract, function: transaction.function,
                signature: transaction.signature,
                arguments: transaction.arguments.map { argument in
                    switch argument.source {
                    case .literal(let text): "\(argument.type) \(text)"
                    case .reference(let name): "\(argument.type) ref=\(name)"
                    case .localReference(let name): "\(argument.type) local-ref=\(name)"
                    }
                },
                value: transaction.value?.referencedName)
        }
        transactions =
            script.transactions.map { report($0.name, $0.transaction) }
            + script.cards.compactMap { card in card.transaction.map { report("card:\(card.name)", $0) } }
        attestations = script.attestations.map {
            AttestationReport(
                name: $0.name, type: $0.type, keys: $0.keys, collectionFields: $0.collectionFields,
                idFields: $0.idFields, easSchemaUID: $0.easSchemaUID)
        }
        eventTypes = script.eventModules.flatMap { $0.types.map(\.signature) }
        signature = script.signature.map {
            SignatureReport(
                signatureMethod: $0.signatureMethod, canonicalizationMethod: $0.canonicalizationMethod,
                keyInfo: $0.keyInfo, wellFormed: $0.isWellFormed)
        }
        server = script.server.map(InspectServerReport.init)
        warnings = diagnostics.filter { $0.severity == .warning }.count
        errors = diagnostics.filter { $0.severity == .error }.count
    }
}
