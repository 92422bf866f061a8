import ArgumentParser
import Foundation

/// `tokenscript keys new --scheme ed25519|eip191 [--out FILE] [--json]`: a fresh signing key for an issuer.
///
/// The key comes from the system's secure random source (`SystemRandomNumberGenerator`: getrandom on Linux,
/// arc4random on Apple platforms), here in the command layer so the pure modules stay free of randomness.
/// The key file format is `KeyFile`'s.
package enum Keys {
    package struct Options: ParsableArguments, Sendable {
        @Option(help: "The signature scheme: ed25519 (a network participant) or eip191 (an Ethereum wallet).")
        package var scheme: String

        @Option(help: "Write the key file here (mode 0600; an existing file is never replaced).")
        package var out: String?

        @Flag(help: "Print one JSON object: the scheme, the issuer key and the sl:issuer line.")
        package var json = false

        package init() {}
    }

    /// Exit status 0 with a new key, 2 on bad usage or when the key file cannot be created.
    package static func run(_ options: Options, console: Console) async -> Int32 {
        var random = SystemRandomNumberGenerator()
        let key: KeyFile
        do {
            guard KeyFile.schemes.contains(options.scheme) else {
                throw KeyFile.Problem(
                    description: "--scheme: unknown \"\(options.scheme)\" (expected ed25519 or eip191)")
            }
            key = try KeyFile.generate(scheme: options.scheme, using: &random)
            if let out = options.out { try key.create(at: out) }
        } catch {
            return console.report(CommandFailure("\(error)"), json: options.json)
        }
        guard let out = options.out else {
            // No file: the key file itself is the output, to redirect wherever the user keeps keys
            // (with --json, inside the one result object).
            if options.json {
                console.out(JSONOutput.result(NewKeyReport(key: key, file: nil), status: .success))
            } else {
                console.out(key.json)
            }
            return 0
        }
        if options.json {
            console.out(JSONOutput.result(NewKeyReport(key: key, file: out), status: .success))
        } else {
            console.out("Wrote \(out) (\(key.scheme)).")
            console.out("Issuer key: \(key.issuerKey)")
            console.out("Trust it in the TokenScript's sl:trust:")
            console.out("    \(key.issuerElement)")
        }
        return 0
    }
}

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make signing keys for attestation issuers.",
        subcommands: [KeysNewCommand.self]
    )
}

struct KeysNewCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Make a fresh key; print the key (or address) and the sl:issuer line that trusts it.",
        discussion: """
            The key file is JSON: {"scheme", "privateKey": "0x…", "publicKey": "0x…"} for ed25519, \
            {"scheme", "privateKey": "0x…", "address": "0x…"} (EIP-55) for eip191. Without --out it is printed.
            Exit status: 0 with a new key, 2 on bad usage or when the file exists or cannot be created.
            """
    )

    @OptionGroup var options: Keys.Options

    static var library: (Keys.Options, Console) async -> Int32 { Keys.run }
}

/// `keys new --json`: where the key went (or, without `--out`, the key file itself) and what to paste.
struct NewKeyReport: Encodable {
    var file: String?
    var keyFile: KeyFile?
    var scheme: String
    var key: String
    var issuer: String

    init(key: KeyFile, file: String?) {
        self.file = file
        self.keyFile = file == nil ? key : nil
        self.scheme = key.scheme
        self.key = key.issuerKey
        self.issuer = key.issuerElement
    }
}
