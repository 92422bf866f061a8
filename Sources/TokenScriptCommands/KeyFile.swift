import Foundation
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptModel

/// A signing key as `tokenscript keys new` writes it and `tokenscript attest sign` reads it: one JSON object,
///
///     {"scheme": "ed25519", "privateKey": "0x<32-byte seed>", "publicKey": "0x<32 bytes>"}
///     {"scheme": "eip191", "privateKey": "0x<32-byte secp256k1 key>", "address": "0x<EIP-55 address>"}
///
/// The public half is stored so a reader can see which `sl:issuer` the file belongs to; on reading it must
/// match the private key, so a hand-edited file cannot sign as someone it does not claim to be.
struct KeyFile: Codable, Equatable {
    var scheme: String
    var privateKey: String
    var publicKey: String?
    var address: String?

    /// The schemes a key file can hold: a participant's Ed25519 key, or an Ethereum key signing `personal_sign`.
    static let schemes = ["ed25519", "eip191"]

    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// The 32-byte seed of an Ed25519 key file (what a node, an anchor or an operator signs with); nil for
    /// another scheme. `read` has checked the private key already.
    var ed25519Seed: [UInt8]? { scheme == "ed25519" ? Hex.decode(privateKey) : nil }

    /// The key an issuer pastes into `sl:issuer key=`: 0x hex for Ed25519, the EIP-55 address for eip191.
    var issuerKey: String { publicKey ?? address ?? "" }

    /// The `sl:issuer` element that trusts this key (name and topics are placeholders to edit).
    var issuerElement: String {
        "<sl:issuer name=\"my-issuer\" scheme=\"\(scheme)\" key=\"\(issuerKey)\" topics=\"my-topic/*\"/>"
    }

    /// A fresh key of `scheme` from `random` (the command passes the system's secure generator).
    static func generate(scheme: String, using random: inout some RandomNumberGenerator) throws(Problem) -> KeyFile {
        for _ in 0..<16 {
            let seed = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &random) }
            if let file = try? KeyFile(scheme: scheme, seed: seed) { return file }
            // A secp256k1 key must lie below the group order; a random 32 bytes almost always does.
        }
        throw Problem(description: "could not make a valid \(scheme) key")
    }

    /// The key file of `seed` under `scheme`, with its public half derived.
    init(scheme: String, seed: [UInt8]) throws {
        switch scheme {
        case "ed25519":
            let signer = try Ed25519AttestationSigner(seed: seed)
            self.init(scheme: scheme, privateKey: Hex.encode(seed), publicKey: signer.issuer.key, address: nil)
        case "eip191":
            let signer = try EthereumAttestationSigner(privateKey: seed)
            self.init(scheme: scheme, privateKey: Hex.encode(seed), publicKey: nil, address: signer.address.checksummed)
        default:
            throw Problem(description: "scheme: unknown \"\(scheme)\" (expected ed25519 or eip191)")
        }
    }

    init(scheme: String, privateKey: String, publicKey: String?, address: String?) {
        self.scheme = scheme
        self.privateKey = privateKey
        self.publicKey = publicKey
        self.address = address
    }

    /// The file's JSON: one object, in the one JSON layout.
    var json: String { JSONOutput.encode(self) }

    /// Reads and checks a key file: known scheme, a 32-byte private key, and a public half that matches it.
    static func read(_ path: String) throws -> KeyFile {
        let text: String
        do {
            text = try InputFile.text(path)
        } catch {
            throw Problem(description: "--key: \(error)")
        }
        let file: KeyFile
        do {
            file = try JSONDecoder().decode(KeyFile.self, from: Data(text.utf8))
        } catch {
            throw Problem(description: "--key \(path): not a key file (expected {\"scheme\", \"privateKey\", …})")
        }
        guard schemes.contains(file.scheme) else {
            throw Problem(description: "--key \(path): scheme: unknown \"\(file.scheme)\" (expected ed25519 or eip191)")
        }
        guard file.privateKey.hasPrefix("0x"), let seed = Hex.decode(file.privateKey), seed.count == 32 else {
            throw Problem(description: "--key \(path): privateKey: expected 0x and 32 bytes of hex")
        }
        guard let derived = try? KeyFile(scheme: file.scheme, seed: seed) else {
            throw Problem(description: "--key \(path): privateKey: not a valid \(file.scheme) key")
        }
        let stated = file.scheme == "ed25519" ? file.publicKey?.lowercased() : file.address?.lowercased()
        guard stated == nil || stated == derived.issuerKey.lowercased() else {
            let field = file.scheme == "ed25519" ? "publicKey" : "address"
            throw Problem(description: "--key \(path): \(field): does not match privateKey")
        }
        return derived
    }

    /// Signs `attestation` with this key under its scheme.
    func sign(_ attestation: Attestation) throws -> Attestation {
        let seed = Hex.decode(privateKey) ?? []
        switch scheme {
        case "ed25519": return try Ed25519AttestationSigner(seed: seed).sign(attestation)
        default: return try EthereumAttestationSigner(privateKey: seed).sign(attestation, scheme: .eip191)
        }
    }

    /// Creates `path` with mode 0600 and writes the JSON; an existing file (or link) is never replaced.
    func create(at path: String) throws(Problem) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw Problem(description: "--out \(path): already exists (not overwritten)") }
            throw Problem(description: "--out \(path): cannot create: \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        _ = fchmod(descriptor, 0o600)
        let bytes = Array((json + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            unlink(path)  // never leave a truncated key behind (a retry would then say "already exists")
            throw Problem(description: "--out \(path): cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
