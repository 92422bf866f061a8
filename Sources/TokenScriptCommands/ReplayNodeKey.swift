import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptModel
import TokenScriptSimulation

extension ReplayJournal {
    /// The definition to replay against: the document's, and with `--node-key` the hosting node trusted as
    /// `ExecutorTrust.prepare` trusts it on a node (and as `dry-run` did), so the inputs it signed verify again.
    /// The anchoring issuers keep the document's keys, unless `simulatedAnchor`: a `dry-run` journal, whose
    /// anchoring node was simulated with `Simulation`'s published anchor key in place of the document's, is
    /// replayed against the definition the dry run ran (the same definition id, and the anchor's outcomes verify).
    static func nodeTrustingDefinition(
        _ tokenScript: TokenScript, nodeKey: String?, simulatedAnchor: Bool = false
    ) throws -> TokenDefinition {
        guard let server = tokenScript.server, nodeKey != nil || simulatedAnchor else {
            return try TokenDefinition(tokenScript: tokenScript)
        }
        let executors = try nodeKey.map { [(ExecutorTrust.defaultExecutorName, try nodePublicKey($0))] } ?? []
        let anchor = simulatedAnchor ? try Ed25519AttestationSigner(seed: Simulation.defaultAnchorSeed).issuer.key : nil
        return try TokenDefinition(
            name: tokenScript.name ?? "", server: ExecutorTrust.prepare(server, executors: executors, anchor: anchor))
    }

    /// `--node-key`: 64 hex digits (0x optional), or an ed25519 key file from `tokenscript keys new`.
    /// Returned in the one text form of an Ed25519 issuer key (`Issuer.key`), so the prepared definition, and
    /// with it the definition id, is the one the writing node or dry run had.
    static func nodePublicKey(_ argument: String) throws -> String {
        let digits = argument.hasPrefix("0x") ? String(argument.dropFirst(2)) : argument
        if digits.count == 64, let bytes = Hex.decode(digits), bytes.count == 32 {
            return Issuer.ed25519(publicKey: bytes).key
        }
        let file: KeyFile
        do { file = try KeyFile.read(argument) } catch {
            throw ReplayInputError("--node-key: neither 64 hex digits nor a readable key file: \(error)")
        }
        guard file.scheme == "ed25519", let key = file.publicKey else {
            throw ReplayInputError("--node-key \(argument): scheme: a node signs with ed25519, not \(file.scheme)")
        }
        guard let bytes = Hex.decode(key.hasPrefix("0x") ? String(key.dropFirst(2)) : key), bytes.count == 32 else {
            throw ReplayInputError("--node-key \(argument): publicKey: not 32 bytes of hex")
        }
        return Issuer.ed25519(publicKey: bytes).key
    }
}
