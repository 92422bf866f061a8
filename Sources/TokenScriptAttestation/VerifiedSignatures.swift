import Crypto
import Synchronization
import TokenScriptArithmetic

/// Ed25519 signatures this process has checked and found good, so one attestation is not checked twice on its
/// way through a node (accepted by `submit`, then applied by the engine; read again on a followed topic).
///
/// Keyed by the issuer's key, the signature and the SHA-256 of the exact signed bytes: a hit means this very
/// key signed these very bytes with this signature, so it proves what a new check would prove. Only good
/// signatures are kept; at most `capacity`, the oldest dropped first. Injected (`AttestationVerifier.verify`'s
/// `signatures`), never global, so a test or a tool that passes none checks every signature.
public final class VerifiedSignatures: Sendable {
    struct Key: Hashable, Sendable {
        let publicKey: [UInt8]
        let signature: [UInt8]
        let messageDigest: [UInt8]

        func hash(into hasher: inout Hasher) {
            hasher.combine(byteString: publicKey)
            hasher.combine(byteString: signature)
            hasher.combine(byteString: messageDigest)
        }
    }

    private struct Kept {
        var keys: Set<Key> = []
        var order: [Key?]
        var next = 0
    }

    private let kept: Mutex<Kept>

    public init(capacity: Int = 4096) {
        kept = Mutex(Kept(order: Array(repeating: nil, count: max(1, capacity))))
    }

    static func key(publicKey: [UInt8], signature: [UInt8], message: [UInt8]) -> Key {
        Key(publicKey: publicKey, signature: signature, messageDigest: Array(SHA256.hash(data: message)))
    }

    func contains(_ key: Key) -> Bool { kept.withLock { $0.keys.contains(key) } }

    func insert(_ key: Key) {
        kept.withLock { kept in
            guard kept.keys.insert(key).inserted else { return }
            if let evicted = kept.order[kept.next] { kept.keys.remove(evicted) }
            kept.order[kept.next] = key
            kept.next = (kept.next + 1) % kept.order.count
        }
    }

    /// Signatures kept now (tests).
    public var count: Int { kept.withLock { $0.keys.count } }
}
