import TokenScriptArithmetic
import TokenScriptAttestation

/// What a verified grant is kept by: the grant header's exact bytes (never a parsed or re-encoded form, so a
/// grant with the same content and another signature is another key, and is verified), the instance read and
/// the grantee the reader named.
struct GrantCacheKey: Hashable, Sendable {
    let grant: [UInt8]
    let instance: [UInt8]
    let grantee: [UInt8]?

    func hash(into hasher: inout Hasher) {
        hasher.combine(byteString: grant)
        hasher.combine(byteString: instance)
        hasher.combine(grantee != nil)
        if let grantee { hasher.combine(byteString: grantee) }
    }

    init(grant: String, instance: String, grantee: String?) {
        self.grant = Array(grant.utf8)
        self.instance = Array(instance.utf8)
        self.grantee = grantee.map { Array($0.utf8) }
    }

    /// The bytes the key holds, what the cache's byte bound counts.
    var size: Int { grant.count + instance.count + (grantee?.count ?? 0) }
}

/// Read grants whose shape and signature this node checked (`SignedReadGrant`), so an integrator repeating a
/// read with the same grant costs a lookup instead of an Ed25519 (or ECDSA) verification. Only the signature
/// check is skipped: holder, instance, grantee, interface and time are checked on every read
/// (`ReadGrantVerifier.verify(_:for:)`). An entry is never served once its grant expired (it is dropped when
/// asked for then); bounded to `capacity` entries and `maximumBytes` of keys, the oldest inserted going first.
struct VerifiedGrantCache: Sendable {
    private struct Entry: Sendable {
        let grant: SignedReadGrant
        let serial: UInt64
    }

    let capacity: Int
    let maximumBytes: Int
    private var entries: [GrantCacheKey: Entry] = [:]
    /// Insertion order; a record whose serial no longer matches its key's entry was removed already.
    private var order: [(key: GrantCacheKey, serial: UInt64)] = []
    private var oldest = 0
    private var serial: UInt64 = 0
    /// The bytes of the keys held.
    private(set) var bytes = 0
    /// Reads answered from the cache (no signature check), for `/metrics` and the tests.
    private(set) var hits = 0

    init(capacity: Int, maximumBytes: Int) {
        precondition(capacity > 0 && maximumBytes > 0, "a grant cache needs room for at least one grant")
        self.capacity = capacity
        self.maximumBytes = maximumBytes
    }

    var count: Int { entries.count }

    /// The checked grant kept for `key`, unless it expired by `now` (then it is dropped).
    mutating func grant(for key: GrantCacheKey, now: UInt64) -> SignedReadGrant? {
        guard let entry = entries[key] else { return nil }
        guard now < entry.grant.grant.expiresAt else {
            remove(key)
            return nil
        }
        hits += 1
        return entry.grant
    }

    /// Keeps `grant` for `key`, unless it has expired by `now` or its key alone is over the byte bound.
    mutating func insert(_ grant: SignedReadGrant, for key: GrantCacheKey, now: UInt64) {
        guard now < grant.grant.expiresAt, key.size <= maximumBytes, entries[key] == nil else { return }
        serial += 1
        entries[key] = Entry(grant: grant, serial: serial)
        order.append((key, serial))
        bytes += key.size
        while entries.count > capacity || bytes > maximumBytes { dropOldest() }
        if oldest > 1024 && oldest * 2 > order.count {
            order.removeFirst(oldest)
            oldest = 0
        }
    }

    private mutating func dropOldest() {
        while oldest < order.count {
            let (key, serial) = order[oldest]
            oldest += 1
            if entries[key]?.serial == serial {
                remove(key)
                return
            }
        }
    }

    private mutating func remove(_ key: GrantCacheKey) {
        guard entries.removeValue(forKey: key) != nil else { return }
        bytes -= key.size
    }
}
