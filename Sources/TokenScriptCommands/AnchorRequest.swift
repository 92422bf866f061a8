import TokenScriptAnchorClient
import TokenScriptAttestation

/// What the commands that ask an anchoring node something share (`pin`, `levels`): the anchor's URL checked,
/// the request signer read from an ed25519 key file, and the anchor's answer turned into an exit status: 0
/// answered, 1 when the anchor refuses (a 4xx: not an operator, an unknown signer), 2 when the command cannot
/// ask (a bad URL or key file, no anchor answering).
enum AnchorRequest {
    /// Signs as `name` with the key in `keyPath` against `anchor`, and runs `ask` over that connection.
    /// `what` names the question in the message of a failure to ask ("pin", "read service levels").
    static func run(
        anchor: String, keyPath: String, name: String, what: String, json: Bool, console: Console,
        _ ask: (AnchorConnection) async throws -> Void
    ) async -> Int32 {
        guard anchor.hasPrefix("http://") || anchor.hasPrefix("https://") else {
            return console.report(
                CommandFailure("--anchor must be http://HOST:PORT, got \(anchor)", field: "--anchor"), json: json)
        }
        let signer: Ed25519AttestationSigner
        do {
            let file = try KeyFile.read(keyPath)
            guard let seed = file.ed25519Seed else {
                return console.report(
                    CommandFailure("--key \(keyPath): anchors take ed25519 signatures, not \(file.scheme)"), json: json)
            }
            signer = try Ed25519AttestationSigner(seed: seed)
        } catch {
            return console.report(CommandFailure("\(error)", field: "--key"), json: json)
        }
        let connection = AnchorConnection(anchorURL: anchor, signer: NodeRequestSigner(name: name, signer: signer))
        do {
            try await ask(connection)
            return CommandStatus.success.rawValue
        } catch let error as AnchorClientError where error.status >= 400 && error.status < 500 {
            _ = console.report(
                CommandFailure("the anchor refused: \(error.message) (\(error.code))", field: error.field), json: json)
            return CommandStatus.failed.rawValue
        } catch {
            return console.report(CommandFailure("cannot \(what) at \(anchor): \(error)"), json: json)
        }
    }
}
