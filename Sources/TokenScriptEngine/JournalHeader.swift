import TokenScriptJSON

/// The line a journal starts with: which instance of which definition, from which initial state, signed by whom.
///
/// It is the chain's genesis: sealed like every line (`JournalChain`), so the first entry's `prev` commits to
/// the format, the ids, the initial state hash and the signer key. A store is created with its header and
/// hands it to whoever continues the journal.
public struct JournalHeader: Sendable, Hashable {
    public let definitionID: String
    public let instanceID: String
    /// `stateHash` of the instance before the first step.
    public let initialStateHash: String
    /// The Ed25519 public key that signs every line, or nil for an unsigned journal.
    public let signerKey: [UInt8]?
    /// The sealed line's canonical bytes, without the line end.
    public let line: [UInt8]
    /// The line's chain hash: the `prev` of the first entry.
    public let hash: String

    /// The header of a new journal; with a `signer`, the line is signed with its key (as every later line).
    public init(definitionID: String, instanceID: String, initialStateHash: String, signer: JournalSigner? = nil) {
        var members: [JSONKey: JSONValue] = [
            "journal": .string(Journal.format), "definition": .string(definitionID), "instance": .string(instanceID),
            "initialStateHash": .string(initialStateHash),
        ]
        if let key = signer?.publicKey { members["signer"] = .string(CanonicalHash.hex(key)) }
        let sealed = JournalChain.seal(members, prev: nil, signer: signer)
        self.init(
            definitionID: definitionID, instanceID: instanceID, initialStateHash: initialStateHash,
            signerKey: signer?.publicKey, line: sealed.line, hash: sealed.hash)
    }

    /// The header of a journal for `instance` in its initial state.
    public init(for instance: TokenInstance, signer: JournalSigner? = nil) {
        self.init(
            definitionID: instance.definitionID, instanceID: instance.id, initialStateHash: instance.stateHash,
            signer: signer)
    }

    /// A header read back and verified (`Journal(bytes:)`).
    init(
        definitionID: String, instanceID: String, initialStateHash: String, signerKey: [UInt8]?, line: [UInt8],
        hash: String
    ) {
        self.definitionID = definitionID
        self.instanceID = instanceID
        self.initialStateHash = initialStateHash
        self.signerKey = signerKey
        self.line = line
        self.hash = hash
    }

    /// `signerKey` in lower-case hex, as the header writes it.
    public var signerKeyHex: String? { signerKey.map(CanonicalHash.hex) }
}
