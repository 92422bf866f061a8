import TokenScriptArithmetic
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptModel

extension ReplayJournal {
    /// The definition to replay against: the document's, and with `--node-key` the hosting node trusted as
    /// `ExecutorTrust.prepare` trusts it on a node (and as `dry-run` did), so the inputs it signed verify again.
    /// The anchoring issuers keep the document's keys.
    static func nodeTrustingDefinition(_ tokenScript: TokenScript, nodeKey: String?) throws -> TokenDefinition {
        guard let nodeKey, let server = tokenScript.server else { return try TokenDefinition(tokenScript: tokenScript) }
        let key = try nodePublicKey(nodeKey)
        return try TokenDefinition(
            name: tokenScript.name ?? "",
            server: ExecutorTrust.prepare(
                server, executors: [(ExecutorTrust.defaultExecutorName, key)], anchor: nil))
    }

    /// `--node-key`: 64 hex digits (0x optional), or an ed25519 key file from `tokenscript keys new`.
    static func nodePublicKey(_ argument: String) throws -> String {
        let digits = argument.hasPrefix("0x") ? String(argument.dropFirst(2)) : argument
        if digits.count == 64, Hex.decode(digits) != nil { return digits.lowercased() }
        let file: KeyFile
        do { file = try KeyFile.read(argument) } catch {
            throw ReplayInputError("--node-key: neither 64 hex digits nor a readable key file: \(error)")
        }
        guard file.scheme == "ed25519", let key = file.publicKey else {
            throw ReplayInputError("--node-key \(argument): scheme: a node signs with ed25519, not \(file.scheme)")
        }
        return key
    }
}
