import Crypto
import TokenScriptArithmetic

/// How a node proves to the anchoring node that a request is its own: four headers, the last an Ed25519
/// signature over the method, the path with its query, the node's name, the date, a nonce and the SHA-256 of
/// the body.
///
///     X-TokenScript-Node: <name>
///     X-TokenScript-Date: <unix seconds>
///     X-TokenScript-Nonce: <hex, 16 to 64 digits, fresh per request>
///     X-TokenScript-Signature: 0x<hex ed25519 over NodeRequestSignature.message(...)>
///
/// The date bounds a replay to the allowed skew, and the receiver remembers the signatures it accepted for
/// that long, so a captured request is refused the second time; the nonce keeps a node's own retry of the
/// same request in the same second distinct. The body hash binds the signature to what was sent.
public enum NodeRequestSignature {
    public static let nodeHeader = "X-TokenScript-Node"
    public static let dateHeader = "X-TokenScript-Date"
    public static let signatureHeader = "X-TokenScript-Signature"
    public static let nonceHeader = "X-TokenScript-Nonce"
    /// The first line of every signed message, so a node signature can never pass for another kind.
    public static let domain = "swift-tokenscript node request v1"

    /// The bytes a node signs: `domain`, METHOD, PATH?QUERY, node, date, nonce and hex(sha256(body)), one per
    /// line (a name or target holding a line break is refused before this is built).
    public static func message(
        method: String, target: String, node: String, date: UInt64, nonce: String, body: some Sequence<UInt8>
    ) -> [UInt8] {
        let digest = Hex.encode(SHA256.hash(data: Array(body)), prefix: false)
        return Array("\(domain)\n\(method.uppercased())\n\(target)\n\(node)\n\(date)\n\(nonce)\n\(digest)".utf8)
    }
}

/// The three header values of one signed request.
public struct NodeRequestHeaders: Sendable, Hashable {
    public var node: String
    public var date: UInt64
    public var nonce: String
    /// `0x` hex of the 64-byte signature.
    public var signature: String

    public init(node: String, date: UInt64, nonce: String, signature: String) {
        self.node = node
        self.date = date
        self.nonce = nonce
        self.signature = signature
    }

    /// Name and value pairs, in the order the headers are documented.
    public var fields: [(name: String, value: String)] {
        [
            (NodeRequestSignature.nodeHeader, node), (NodeRequestSignature.dateHeader, String(date)),
            (NodeRequestSignature.nonceHeader, nonce), (NodeRequestSignature.signatureHeader, signature),
        ]
    }
}

/// Signs a node's requests with its Ed25519 key (the same key its attestations are signed with).
public struct NodeRequestSigner: Sendable {
    public let name: String
    private let signer: Ed25519AttestationSigner

    public init(name: String, signer: Ed25519AttestationSigner) {
        self.name = name
        self.signer = signer
    }

    /// The public key the anchor registers for this node.
    public var issuer: Issuer { signer.issuer }

    /// The headers for `method` `target` (path and query, as sent) with `body`, dated `date`; `nonce` comes
    /// from the caller's randomness (16 or more fresh bytes per request).
    public func headers(method: String, target: String, body: some Sequence<UInt8>, date: UInt64, nonce: [UInt8])
        throws -> NodeRequestHeaders
    {
        let nonceText = Hex.encode(nonce, prefix: false)
        let message = NodeRequestSignature.message(
            method: method, target: target, node: name, date: date, nonce: nonceText, body: body)
        return NodeRequestHeaders(
            node: name, date: date, nonce: nonceText, signature: Hex.encode(try signer.signature(for: message)))
    }
}

/// Checks a signed request: the headers are present and well-formed, the date within the skew, the node known
/// (or, for a registration, the key it presents), the signature good.
public struct NodeRequestVerifier: Sendable {
    /// Seconds the date may differ from the verifier's clock, either way.
    public var maximumSkew: UInt64

    public init(maximumSkew: UInt64 = 60) {
        self.maximumSkew = maximumSkew
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// The verified node's name.
    /// - Parameters:
    ///   - header: the request's header value for a name (nil when absent).
    ///   - key: the registered Ed25519 key of a node name, nil for an unknown node.
    /// - Throws: `NodeRequestRefusal`; the request must then change nothing.
    public func verify(
        method: String, target: String, body: some Sequence<UInt8>, now: UInt64,
        header: (String) -> String?, key: (String) -> Issuer?
    ) throws(NodeRequestRefusal) -> String {
        guard let node = header(NodeRequestSignature.nodeHeader), !node.isEmpty else {
            throw .missingHeader(NodeRequestSignature.nodeHeader)
        }
        guard !node.utf8.contains(0x0a), !target.utf8.contains(0x0a) else {
            throw .malformedHeader(NodeRequestSignature.nodeHeader)
        }
        guard let nonce = header(NodeRequestSignature.nonceHeader) else {
            throw .missingHeader(NodeRequestSignature.nonceHeader)
        }
        guard (16...64).contains(nonce.utf8.count), nonce.utf8.allSatisfy(Self.isLowerHex) else {
            throw .malformedHeader(NodeRequestSignature.nonceHeader)
        }
        guard let dateText = header(NodeRequestSignature.dateHeader) else {
            throw .missingHeader(NodeRequestSignature.dateHeader)
        }
        guard let date = UInt64(dateText) else { throw .malformedHeader(NodeRequestSignature.dateHeader) }
        guard let signatureText = header(NodeRequestSignature.signatureHeader) else {
            throw .missingHeader(NodeRequestSignature.signatureHeader)
        }
        guard let signature = Hex.decode(signatureText), signature.count == 64 else {
            throw .malformedHeader(NodeRequestSignature.signatureHeader)
        }
        let skew = date > now ? date - now : now - date
        guard skew <= maximumSkew else { throw .outsideSkew(date: date, now: now) }
        guard case .ed25519(let publicKey)? = key(node) else { throw .unknownNode(node) }
        let message = NodeRequestSignature.message(
            method: method, target: target, node: node, date: date, nonce: nonce, body: body)
        guard let verifying = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey),
            verifying.isValidSignature(signature, for: message)
        else { throw .badSignature(node: node) }
        return node
    }
}

/// Why a node request was refused (answered 401): what a program branches on (`code`) and a person reads.
public enum NodeRequestRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    case missingHeader(String)
    case malformedHeader(String)
    /// The date is further than the allowed skew from the verifier's clock (a replay, or a wrong clock).
    case outsideSkew(date: UInt64, now: UInt64)
    /// No key is registered under the name.
    case unknownNode(String)
    /// The signature does not verify with the node's key: forged, or the request was changed on the way.
    case badSignature(node: String)
    /// A signature the receiver accepted already: a captured request sent again.
    case replayed(node: String)

    /// A stable kebab-case code for responses and logs.
    public var code: String {
        switch self {
        case .missingHeader: "missing-header"
        case .malformedHeader: "malformed-header"
        case .outsideSkew: "stale-date"
        case .unknownNode: "unknown-node"
        case .badSignature: "bad-signature"
        case .replayed: "replayed"
        }
    }

    /// The header the refusal is about.
    public var field: String {
        switch self {
        case .missingHeader(let name), .malformedHeader(let name): name
        case .outsideSkew: NodeRequestSignature.dateHeader
        case .unknownNode: NodeRequestSignature.nodeHeader
        case .badSignature, .replayed: NodeRequestSignature.signatureHeader
        }
    }

    public var description: String {
        switch self {
        case .missingHeader(let name): "node request refused: header \(name) is missing"
        case .malformedHeader(let name): "node request refused: header \(name) is malformed"
        case .outsideSkew(let date, let now):
            "node request refused: dated \(date), more than the allowed skew from now (\(now))"
        case .unknownNode(let node): "node request refused: no node \(node) is registered"
        case .badSignature(let node): "node request refused: the signature does not verify with \(node)'s key"
        case .replayed(let node): "node request refused: this request of \(node) was accepted already (a replay)"
        }
    }
}
