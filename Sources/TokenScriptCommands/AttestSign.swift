import ArgumentParser
import Foundation
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptEthereum
import TokenScriptJSON

/// `tokenscript attest sign --key FILE --topic T --type TYPE --payload JSON …`: one signed attestation in the
/// wire form, one line, exactly as `dry-run --attestations` reads it — so integrators make inputs without Python.
///
/// `issuedAt` defaults to now. The id defaults to `att-` and 16 hex digits: the first 8 bytes of the Keccak-256
/// of the canonical JSON `{"issuedAt", "payload", "topic", "type"}`, so signing the same statement twice gives
/// the same id (and a node drops the second as a replay), while any change gives a new one.
package enum AttestSign {
    package struct Options: ParsableArguments, Sendable {
        @Option(help: "The key file (from tokenscript keys new).")
        package var key: String

        @Option(help: "What the attestation is about, e.g. flight-status/LH2024.")
        package var topic: String

        @Option(help: "What kind of statement it is, e.g. delay.")
        package var type: String

        @Option(help: "The payload: a JSON value (integers only, up to 2^53 - 1).")
        package var payload: String

        @Option(help: "Unix seconds; default now.")
        package var issuedAt: UInt64?

        @Option(help: "Unix seconds after which it no longer holds; default never.")
        package var expiresAt: UInt64?

        @Option(help: "The attestation id; default derived from topic, type, issuedAt and the payload.")
        package var id: String?

        package init() {}
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Exit status 0 with the signed line on stdout, 2 (nothing on stdout) when an input is unusable.
    package static func run(_ options: Options, console: Console) async -> Int32 {
        do {
            console.out(try sign(options, now: UInt64(max(0, Date().timeIntervalSince1970))).json)
            return 0
        } catch {
            return console.report(CommandFailure("\(error)"), json: false)
        }
    }

    /// The signed attestation `options` describe; `now` is the default `issuedAt`.
    static func sign(_ options: Options, now: UInt64) throws -> Attestation {
        let key = try KeyFile.read(options.key)
        let payload = try readPayload(options.payload)
        let issuedAt = options.issuedAt ?? now
        let limit = UInt64(AttestationValue.maximumInteger)
        guard issuedAt <= limit else {
            throw Problem(description: "--issued-at: \(issuedAt) is out of range (0…\(limit))")
        }
        if let expiresAt = options.expiresAt, expiresAt <= issuedAt || expiresAt > limit {
            throw Problem(
                description: "--expires-at: \(expiresAt) must be after issuedAt \(issuedAt) and at most \(limit)")
        }
        let id = options.id ?? defaultID(topic: options.topic, type: options.type, issuedAt: issuedAt, payload: payload)
        let unsigned = Attestation(
            id: id, topic: options.topic, type: options.type, issuer: .ed25519(publicKey: []), issuedAt: issuedAt,
            expiresAt: options.expiresAt, payload: payload)
        let signed = try key.sign(unsigned)
        if let field = signed.firstMalformedField {
            let flag = ["id": "--id", "topic": "--topic", "type": "--type"][field] ?? "--payload (\(field))"
            throw Problem(description: "\(flag): invalid value (see Sources/TokenScriptAttestation/README.md)")
        }
        return signed
    }

    /// The payload as the wire reader would take it: strict JSON, then the attestation value rules.
    static func readPayload(_ text: String) throws -> AttestationValue {
        let json: JSONValue
        do {
            json = try JSONReader.read(text, limits: .init(maximumDepth: AttestationValue.maximumDepth + 1))
        } catch {
            throw Problem(description: "--payload: \(error.reason) at line \(error.line), column \(error.column)")
        }
        do {
            return try AttestationValue(json: json, path: JSONPath.root.appending(JSONKey("payload")))
        } catch {
            throw Problem(description: "--payload: \(error)")
        }
    }

    /// `att-` and the first 8 bytes (hex) of Keccak-256 over the canonical `{issuedAt, payload, topic, type}`.
    static func defaultID(topic: String, type: String, issuedAt: UInt64, payload: AttestationValue) -> String {
        let statement = AttestationValue.object([
            "topic": .string(topic), "type": .string(type), "issuedAt": .integer(Int64(issuedAt)), "payload": payload,
        ])
        return "att-" + Hex.encode(Keccak256.hash(CanonicalJSON.encode(statement)).prefix(8), prefix: false)
    }
}

struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Sign attestations, e.g. inputs for dry-run.",
        subcommands: [AttestSignCommand.self]
    )
}

struct AttestSignCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign one attestation with a key file; print it as one wire JSON line (for dry-run --attestations).",
        discussion: """
            The id defaults to att- and 16 hex digits of Keccak-256 over {issuedAt, payload, topic, type}.
            Exit status: 0 with the signed line, 2 when an input is unusable (nothing is printed on stdout).
            """
    )

    @OptionGroup var options: AttestSign.Options

    static var library: (AttestSign.Options, Console) async -> Int32 { AttestSign.run }
}
