import ArgumentParser
import Foundation
import TokenScriptArithmetic
import TokenScriptAttestation

/// `tokenscript grant sign --key HOLDER.key --instance ID --interface NAME … --grantee WHO --expires-at N`: the
/// holder's read grant, one wire JSON line, for an integrator to send with its reads (the traveller sharing the
/// flight ticket with the car-rental site).
package enum GrantSign {
    package struct Options: ParsableArguments, Sendable {
        @Option(help: "The holder's key file (from tokenscript keys new).")
        package var key: String

        @Option(help: "The token instance the grant is for.")
        package var instance: String

        @Option(help: "A read-only interface the grantee may call (repeat for several; * for all of them).")
        package var interface: [String] = []

        @Option(help: "Who may read: the integrator's name or key.")
        package var grantee: String

        @Option(help: "Unix seconds from which the grant no longer holds.")
        package var expiresAt: UInt64

        @Option(help: "Unix seconds; default now.")
        package var issuedAt: UInt64?

        @Flag(help: "With an eip191 key: sign the EIP-712 typed data (what a wallet shows field by field) instead.")
        package var typedData = false

        package init() {}
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Exit status 0 with the signed line on stdout, 2 (nothing on stdout) when an input is unusable.
    package static func run(_ options: Options, console: Console) async -> Int32 {
        SignedOutput.print(to: console) { now in try sign(options, now: now).json }
    }

    /// The signed grant `options` describe; `now` is the default `issuedAt`.
    static func sign(_ options: Options, now: UInt64) throws -> ReadGrant {
        guard !options.interface.isEmpty else {
            throw Problem(description: "--interface: name at least one interface (or * for all of them)")
        }
        let key = try KeyFile.read(options.key)
        let unsigned = ReadGrant(
            grantee: options.grantee, instance: options.instance, interfaces: options.interface,
            issuedAt: options.issuedAt ?? now, expiresAt: options.expiresAt, holder: .ed25519(publicKey: []))
        let signed = try key.sign(unsigned, typedData: options.typedData)
        if let malformed = signed.firstMalformedField {
            throw Problem(description: "\(flag(for: malformed.field)): \(malformed.reason)")
        }
        return signed
    }

    /// The flag that sets a grant field, for errors a user fixes on the command line.
    static func flag(for field: String) -> String {
        if field.hasPrefix("interfaces") { return "--interface (\(field))" }
        return [
            "grantee": "--grantee", "instance": "--instance", "issuedAt": "--issued-at", "expiresAt": "--expires-at",
        ][
            field] ?? "--key (\(field))"
    }
}

extension KeyFile {
    /// Signs `grant` as its holder: Ed25519, or `personal_sign` (EIP-191) or EIP-712 typed data for an
    /// Ethereum key.
    func sign(_ grant: ReadGrant, typedData: Bool) throws -> ReadGrant {
        let seed = Hex.decode(privateKey) ?? []
        switch scheme {
        case "ed25519":
            guard !typedData else {
                throw Problem(description: "--typed-data: EIP-712 needs an eip191 (Ethereum) key, not ed25519")
            }
            return try Ed25519AttestationSigner(seed: seed).sign(grant)
        default:
            return try EthereumAttestationSigner(privateKey: seed).sign(grant, scheme: typedData ? .eip712 : .eip191)
        }
    }
}

struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Sign and check read grants: a token holder's permission for an integrator to read an instance.",
        subcommands: [GrantSignCommand.self, GrantVerifyCommand.self]
    )
}

struct GrantSignCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a read grant with the holder's key file; print it as one wire JSON line.",
        discussion: """
            The grant lets --grantee call the named --interface(s) of --instance until --expires-at. An ed25519 \
            key signs the canonical bytes; an eip191 key signs them with personal_sign, or with --typed-data the \
            EIP-712 ReadGrant typed data.
            Exit status: 0 with the signed line, 2 when an input is unusable (nothing is printed on stdout).
            """
    )

    @OptionGroup var options: GrantSign.Options

    static var library: (GrantSign.Options, Console) async -> Int32 { GrantSign.run }
}
