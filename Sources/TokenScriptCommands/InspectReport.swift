import TokenScriptModel

/// The documented JSON of `tokenscript inspect --json` (see README, "inspect --json").
///
/// A stable projection of the model: names, kinds and references, without view markup.
/// Optional fields are omitted when the document does not set them.
public struct InspectReport: Codable, Sendable, Equatable {
    public struct ContractReport: Codable, Sendable, Equatable {
        public struct AddressReport: Codable, Sendable, Equatable {
            public var network: String
            public var address: String
        }

        public var name: String
        public var interface: String?
        public var addresses: [AddressReport]
        public var hasABI: Bool
    }

    public struct OriginReport: Codable, Sendable, Equatable {
        /// `contract` or `attestation`.
        public var kind: String
        public var name: String
    }

    public struct AttributeReport: Codable, Sendable, Equatable {
        public var name: String
        /// `token`, or the name of the card that declares it.
        public var scope: String
        public var label: String?
        /// The value type from the syntax OID (`string`, `integer`, `boolean` …).
        public var type: String?
        /// Origin kinds in order (`ethereum:call`, `ts:token-id` …); the first is the one evaluated.
        public var origins: [String]
        /// `as=` of the first origin.
        public var `as`: String?
        /// Names the first origin reads: attributes and special refs (`tokenId`, `ownerAddress` …).
        public var dependsOn: [String]
        public var line: Int?
    }

    public struct CardReport: Codable, Sendable, Equatable {
        public var name: String
        public var type: String
        public var label: String?
        public var exclude: [String]
        public var attributes: [String]
        public var transaction: String?
        public var views: Int
    }

    public struct SelectionReport: Codable, Sendable, Equatable {
        public var name: String
        public var filter: String
        public var label: String?
        /// Attributes the filter compares or interpolates.
        public var dependsOn: [String]
    }

    public struct TransactionReport: Codable, Sendable, Equatable {
        /// The name of a top-level transaction, or `card:<name>` for a card's transaction.
        public var name: String
        public var contract: String?
        public var function: String?
        public var signature: String?
        public var arguments: [String]
        public var value: String?
    }

    public struct AttestationReport: Codable, Sendable, Equatable {
        public var name: String
        public var type: String?
        public var keys: [String]
        public var collectionFields: [String]
        public var idFields: [String]
        public var easSchemaUID: String?
    }

    public struct SignatureReport: Codable, Sendable, Equatable {
        public var signatureMethod: String?
        public var canonicalizationMethod: String?
        public var keyInfo: [String]
        public var wellFormed: Bool
    }

    public var file: String
    public var namespace: String
    public var version: String
    public var root: String
    public var name: String?
    public var label: String?
    public var contracts: [ContractReport]
    public var origins: [OriginReport]
    public var attributes: [AttributeReport]
    public var cards: [CardReport]
    public var selections: [SelectionReport]
    public var transactions: [TransactionReport]
    public var attestations: [AttestationReport]
    public var eventTypes: [String]
    public var signature: SignatureReport?
    public var warnings: Int
    public var errors: Int

    public init(file: String, script: TokenScript, diagnostics: [Diagnostic], language: String = "en") {
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
        warnings = diagnostics.filter { $0.severity == .warning }.count
        errors = diagnostics.filter { $0.severity == .error }.count
    }
}
