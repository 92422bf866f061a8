import ArgumentParser
import Foundation
import TokenScriptAttestation

/// `tokenscript grant verify GRANT.json --holder KEY --interface NAME`: whether a node would let the read
/// through, with the reason it would give with its 403 when not.
///
/// Exit status 0 when the grant lets the read through, 1 when it is refused (a malformed grant included: the
/// grant is what is checked), 2 when the command cannot check it (an unreadable file, a bad `--holder`).
package enum GrantVerify {
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "The grant: a file holding one wire JSON object (from tokenscript grant sign).")
        package var grant: String

        @Option(help: "The instance's current holder: an Ethereum address, or an Ed25519 public key (0x, 32 bytes).")
        package var holder: String

        @Option(help: "The read-only interface to be read.")
        package var interface: String

        @Option(help: "The instance to be read; default the grant's own.")
        package var instance: String?

        @Option(help: "The integrator reading; default anyone holding the grant.")
        package var grantee: String?

        @Option(help: "Unix seconds; default now.")
        package var now: UInt64?

        @Flag(help: "Print one JSON object (see README).")
        package var json = false

        package init() {}
    }

    /// What `--json` prints when the grant holds.
    struct Accepted: Encodable {
        var grantee: String
        var instance: String
        var interfaces: [String]
        var issuedAt: UInt64
        var expiresAt: UInt64
        var holder: [String: String]
    }

    struct Granted: Encodable {
        var grant: Accepted
    }

    /// What `--json` prints when the grant is refused: the 403's reason.
    struct Refused: Encodable {
        var refusal: Reason
        struct Reason: Encodable {
            var code: String
            var message: String
            var field: String?
        }
    }

    package static func run(_ options: Options, console: Console) async -> Int32 {
        let text: String
        do {
            text = try InputFile.text(options.grant)
        } catch {
            return console.report(CommandFailure(error.message, file: options.grant), json: options.json)
        }
        guard let holder = GrantHolder(options.holder) else {
            return console.report(
                CommandFailure(
                    "--holder: expected an Ethereum address or 0x and 32 bytes of hex (an Ed25519 key)",
                    field: "--holder"),
                json: options.json)
        }
        let now = options.now ?? SignedOutput.now
        // The reader allows JSON whitespace around the object, so a file ending in a newline reads as written.
        let parsed = Result { () throws(AttestationDecodingError) in try ReadGrant(json: text) }
        let request = ReadGrantRequest(
            instance: options.instance ?? ((try? parsed.get())?.instance ?? ""), interface: options.interface,
            currentHolder: holder, grantee: options.grantee, now: now)
        let result = parsed.mapError(ReadGrantRefusal.init(decoding:)).flatMap {
            ReadGrantVerifier.verify($0, for: request)
        }
        switch result {
        case .success(let grant):
            if options.json {
                let accepted = Accepted(
                    grantee: grant.grantee, instance: grant.instance, interfaces: grant.interfaces,
                    issuedAt: grant.issuedAt, expiresAt: grant.expiresAt,
                    holder: ["scheme": grant.holder.scheme.rawValue, "key": grant.holder.key])
                console.out(JSONOutput.result(Granted(grant: accepted), status: .success))
            } else {
                console.out(
                    "granted: \(grant.grantee) may read \(options.interface) of \(grant.instance) "
                        + "until \(grant.expiresAt) (signed by \(grant.holder))")
            }
            return CommandStatus.success.rawValue
        case .failure(let refusal):
            if options.json {
                let refused = Refused(
                    refusal: .init(code: refusal.code, message: refusal.message, field: refusal.reason.field))
                console.out(JSONOutput.result(refused, status: .failed))
            } else {
                console.out("refused (\(refusal.code)): \(refusal.message)")
            }
            return CommandStatus.failed.rawValue
        }
    }
}

struct GrantVerifyCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a read grant as a node would before serving a read; print why when it is refused.",
        discussion: """
            Checks the shape, the signature, that the signer is --holder (the instance's current holder), the \
            instance, the grantee (with --grantee), that --interface is granted, and the time (300 s skew).
            Exit status: 0 when the read is granted, 1 when it is refused (the reason is printed; a malformed \
            grant is refused), 2 when the grant file cannot be read or --holder is unusable.
            """
    )

    @OptionGroup var options: GrantVerify.Options

    static var library: (GrantVerify.Options, Console) async -> Int32 { GrantVerify.run }
}
