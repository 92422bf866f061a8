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
///
/// `--schedule TRIGGER` and `--attribute NAME --old JSON --new JSON` sign the hosting node's inputs instead
/// (`AttestStatement`), with the node's Ed25519 key (`dry-run --node-key`).
package enum AttestSign {
    package struct Options: ParsableArguments, Sendable {
        @Option(help: "The key file (from tokenscript keys new).")
        package var key: String

        @Option(help: "What the attestation is about, e.g. flight-status/LH2024.")
        package var topic: String?

        @Option(help: "What kind of statement it is, e.g. delay.")
        package var type: String?

        @Option(help: "The payload: a JSON value (integers only, up to 2^53 - 1).")
        package var payload: String?

        @Option(help: "Sign as the hosting node that TRIGGER's schedule is due (topic schedule/TRIGGER).")
        package var schedule: String?

        @Option(help: "Sign as the hosting node that attribute NAME changed (topic attribute/NAME; with --old, --new).")
        package var attribute: String?

        @Option(help: "With --attribute: the value before the change (JSON).")
        package var old: String?

        @Option(help: "With --attribute: the value after the change (JSON).")
        package var new: String?

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
        SignedOutput.print(to: console) { now in try sign(options, now: now).json }
    }

    /// The signed attestation `options` describe; `now` is the default `issuedAt`.
    static func sign(_ options: Options, now: UInt64) throws -> Attestation {
        let statement = try AttestStatement(options)
        let key = try KeyFile.read(options.key)
        if statement.isHostingNodes, key.scheme != "ed25519" {
            throw Problem(
                description: "--key \(options.key): the hosting node signs \(statement.flag) with an ed25519 key "
                    + "(it is trusted as one), not \(key.scheme)")
        }
        let payload = try statement.payload()
        let issuedAt = options.issuedAt ?? now
        let limit = UInt64(AttestationValue.maximumInteger)
        guard issuedAt <= limit else {
            throw Problem(description: "--issued-at: \(issuedAt) is out of range (0…\(limit))")
        }
        if let expiresAt = options.expiresAt, expiresAt <= issuedAt || expiresAt > limit {
            throw Problem(
                description: "--expires-at: \(expiresAt) must be after issuedAt \(issuedAt) and at most \(limit)")
        }
        let topic = statement.topic
        let id = options.id ?? defaultID(topic: topic, type: statement.type, issuedAt: issuedAt, payload: payload)
        let unsigned = Attestation(
            id: id, topic: topic, type: statement.type, issuer: .ed25519(publicKey: []), issuedAt: issuedAt,
            expiresAt: options.expiresAt, payload: payload)
        let signed = try key.sign(unsigned)
        if let field = signed.firstMalformedField {
            let flag = ["id": "--id", "topic": statement.flag, "type": "--type"][field] ?? "--payload (\(field))"
            throw Problem(description: "\(flag): invalid value (see Sources/TokenScriptAttestation/README.md)")
        }
        return signed
    }

    /// The payload as the wire reader would take it: strict JSON, then the attestation value rules.
    static func readPayload(_ text: String) throws -> AttestationValue {
        try readValue(text, flag: "--payload", path: JSONPath.root.appending(JSONKey("payload")))
    }

    /// A JSON value given to `flag`, read as the wire reader reads a payload at `path`.
    static func readValue(_ text: String, flag: String, path: JSONPath) throws -> AttestationValue {
        let json: JSONValue
        do {
            json = try JSONReader.read(text, limits: .init(maximumDepth: AttestationValue.maximumDepth + 1))
        } catch {
            throw Problem(description: "\(flag): \(error.reason) at line \(error.line), column \(error.column)")
        }
        do {
            return try AttestationValue(json: json, path: path)
        } catch {
            throw Problem(description: "\(flag): \(error)")
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
            As the hosting node (an ed25519 key): --schedule TRIGGER signs topic schedule/TRIGGER, type schedule, \
            payload {}; --attribute NAME --old JSON --new JSON signs topic attribute/NAME, type change, payload \
            {old, new}. These exclude --topic, --type and --payload.
            Exit status: 0 with the signed line, 2 when an input is unusable (nothing is printed on stdout).
            """
    )

    @OptionGroup var options: AttestSign.Options

    static var library: (AttestSign.Options, Console) async -> Int32 { AttestSign.run }
}
