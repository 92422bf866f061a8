import TokenScriptJSON

/// How each journal line is sealed into the hash chain, and how a sealed line is checked.
///
/// A line's *content* is its JSON object without `hash` and `signature`. The writer adds:
/// - `prev`: the previous line's `hash` (entries only; the header line is the chain's genesis, so the first
///   entry commits to the format, definition id, instance id, initial state hash and signer key);
/// - `digests`: for every field path (`sequence`, `attestation.payload.status`, `instance.attributes.count`, …)
///   the first 8 bytes of SHA-256 over the path and the field's canonical JSON. They locate an edit: the
///   field whose value no longer matches its digest is the one reported;
/// - `hash`: SHA-256 (hex) of the canonical JSON of the content (`prev` and `digests` included);
/// - `signature`: when the journal has a signer, Ed25519 over `JournalSigner.message(forHash:)`.
///
/// The integrity guarantee rests on `hash`, `prev` and `signature` alone; `digests` only serve the report.
enum JournalChain {
    /// Fields that are not part of a line's content.
    static let sealFields: Set<JSONKey> = ["hash", "signature"]

    /// Field paths are expanded into objects down to this many components (`attestation.payload.status`).
    static let digestDepth = 3

    static func canonicalBytes(_ value: JSONValue) -> [UInt8] { JournalJSON.canonical(value) }

    /// `content` sealed: `prev` (if given) and `digests` added, then `hash` and, with a signer, `signature`.
    /// Returns the sealed line's canonical bytes and its hash.
    ///
    /// Every member's value is written once: the bytes hashed and the line written are joined from the same
    /// pieces, in key order, the line with `hash` and `signature` put in their places (exactly the canonical
    /// JSON of the sealed object).
    static func seal(_ content: [JSONKey: JSONValue], prev: String?, signer: JournalSigner?) -> (
        line: [UInt8], hash: String
    ) {
        var members = content
        if let prev { members["prev"] = .string(prev) }
        members["digests"] = .object(digests(of: members).mapValues { .string($0) })
        var pieces = members.map { (key: $0.key, bytes: canonicalBytes($0.value)) }
        let hashed = joined(pieces)
        let hash = CanonicalHash.hex(CanonicalHash.sha256(hashed))
        pieces.append((key: "hash", bytes: canonicalBytes(.string(hash))))
        if let signer {
            pieces.append(
                (key: "signature", bytes: canonicalBytes(.string(CanonicalHash.hex(signer.sign(hash: hash))))))
        }
        return (joined(pieces), hash)
    }

    /// An object's canonical bytes from its members' canonical values (`JSONWriter`'s member order and syntax).
    private static func joined(_ pieces: [(key: JSONKey, bytes: [UInt8])]) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        output.reserveCapacity(pieces.reduce(2) { $0 + $1.key.bytes.count + $1.bytes.count + 4 })
        for (index, piece) in pieces.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output += canonicalBytes(.string(piece.key.string))
            output.append(UInt8(ascii: ":"))
            output += piece.bytes
        }
        output.append(UInt8(ascii: "}"))
        return output
    }

    /// The digest of every field path of a line (its `digests`, `hash` and `signature` excluded).
    static func digests(of members: [JSONKey: JSONValue]) -> [JSONKey: String] {
        var result: [JSONKey: String] = [:]
        result.reserveCapacity(32)
        // One buffer for every hash input: the path, a zero byte, the field's canonical JSON.
        var input: [UInt8] = []
        input.reserveCapacity(512)
        func visit(_ path: [UInt8], _ value: JSONValue, depth: Int) {
            if depth < digestDepth, case .object(let fields) = value, !fields.isEmpty {
                for (key, field) in fields { visit(path + [UInt8(ascii: ".")] + key.bytes, field, depth: depth + 1) }
                return
            }
            input.removeAll(keepingCapacity: true)
            input += path
            input.append(0)
            if (try? JSONWriter.canonical(value, appendingTo: &input)) == nil { input += "null".utf8 }
            // Paths join valid keys with ".", so they are valid UTF-8.
            result[JSONKey(bytes: path)!] = CanonicalHash.hex(Array(CanonicalHash.sha256(input).prefix(8)))
        }
        for (key, value) in members where key != "digests" && !sealFields.contains(key) {
            // The attestation is kept as its wire JSON string; its fields are located inside that JSON.
            if key == "attestation", case .string(let wire) = value,
                let parsed = try? JournalJSON.parse(Array(wire.utf8)),
                parsed.objectValue != nil
            {
                visit(key.bytes, parsed, depth: 1)
            } else {
                visit(key.bytes, value, depth: 1)
            }
        }
        return result
    }

    /// Checks one read line against the chain: its fields against their digests (naming the first that
    /// differs), its hash, that it follows `expectedPrev`, and its signature when the journal has a signer.
    static func verify(
        _ members: [JSONKey: JSONValue], expectedPrev: String?, signer: [UInt8]?, line: Int, step: UInt64?
    ) throws(JournalReadError) -> String {
        func tampered(_ field: String, _ reason: String) -> JournalReadError {
            JournalReadError(line: line, step: step, field: field, reason: reason, kind: .tampered)
        }
        guard case .string(let hash)? = members["hash"] else {
            throw tampered("hash", "missing: every line is sealed with its chain hash")
        }
        guard case .object(let storedDigests)? = members["digests"] else { throw tampered("digests", "missing") }
        let computed = digests(of: members)
        for path in Set(computed.keys).union(storedDigests.keys).sorted() {
            guard case .string(let stored)? = storedDigests[path] else {
                throw tampered(
                    path.string, "the field is not one the chain commits to (added, or moved from elsewhere)")
            }
            guard computed[path] != nil else {
                throw tampered(path.string, "missing, but the chain commits to it (removed)")
            }
            if computed[path] != stored {
                throw tampered(
                    path.string, "stored \(storedValue(members, path.string)) but the chain commits to other content")
            }
        }
        var content = members
        for field in sealFields { content[field] = nil }
        let recomputed = CanonicalHash.hex(CanonicalHash.sha256(canonicalBytes(.object(content))))
        guard recomputed == hash else {
            throw tampered("hash", "stored \(hash) but the line's content hashes to \(recomputed)")
        }
        if let expectedPrev {
            guard case .string(let prev)? = members["prev"] else { throw tampered("prev", "missing") }
            guard prev == expectedPrev else {
                throw tampered(
                    "prev",
                    "this line does not follow the line before it (lines "
                        + "reordered or dropped, or taken from another journal)"
                )
            }
        } else if members["prev"] != nil {
            throw tampered("prev", "the header line starts the chain and has no prev")
        }
        switch (signer, members["signature"]) {
        case (nil, nil): break
        case (nil, .some): throw tampered("signature", "a signature, but the header names no signer")
        case (.some, nil): throw tampered("signature", "missing: the header names a signer, so every line is signed")
        case (.some(let key), .some(let value)):
            guard case .string(let hex) = value, let signature = CanonicalHash.bytes(fromHex: hex),
                JournalSigner.verify(signature: signature, hash: hash, publicKey: key)
            else { throw tampered("signature", "not the header signer's signature over this line's hash") }
        }
        return hash
    }

    /// The canonical JSON of the field at `path` (`attestation.payload.status`), for a report.
    static func storedValue(_ members: [JSONKey: JSONValue], _ path: String) -> String {
        var components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var value: JSONValue? = .object(members)
        if components.first == "attestation", case .string(let wire)? = members["attestation"] {
            value = try? JournalJSON.parse(Array(wire.utf8))
            components.removeFirst()
        }
        for component in components { value = value?[JSONKey(component)] }
        return value.map { String(decoding: canonicalBytes($0), as: UTF8.self) } ?? "nothing"
    }
}
