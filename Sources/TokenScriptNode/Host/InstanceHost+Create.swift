import Crypto
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSQLite

extension InstanceHost {
    /// Creates an instance of `scriptName` in the definition's initial state with `attributes` set, held by
    /// `holder`, and makes this node its executor. Every field is checked before anything is written.
    /// - Parameter id: nil derives one from the request and the clock.
    /// - Throws: `HostError` 400 naming the field, 404 for an unknown script, 409 when the id exists.
    public func create(
        script scriptName: String, id requestedID: String?, attributes: [String: SandboxValue], holder: String
    ) async throws(HostError) -> InstanceView {
        guard let script = script(named: scriptName) else {
            throw HostError(
                .notFound, code: "unknown-script",
                "no script named \(scriptName) (scripts: \(scripts.map(\.name).joined(separator: ", ")))",
                field: "script")
        }
        try Self.checkHolder(holder)
        let instance = try Self.newInstance(
            of: script, id: requestedID ?? derivedID(script: scriptName, holder: holder), attributes: attributes)
        let id = instance.id
        // Claimed before the first suspension: a concurrent create of the same id sees it and is a conflict.
        guard creating.insert(id).inserted else {
            throw HostError(.conflict, code: "instance-exists", "instance \(id) is being created", field: "id")
        }
        defer { creating.remove(id) }
        do {
            let stored = try await instanceStore.instance(id)
            if let retired = try await lifecycle.retired(id) {
                throw HostError(
                    .conflict, code: "instance-exists",
                    "instance \(id) existed and was retired at \(retired.retiredAt); an id is never reused",
                    field: "id")
            }
            if hosted[id] != nil || stored != nil {
                throw HostError(.conflict, code: "instance-exists", "instance \(id) exists already", field: "id")
            }
            if case .anchored = seat, try await log.entry(topic: InstanceCreation.topic(of: id), position: 1) != nil {
                throw HostError(
                    .conflict, code: "instance-exists", "instance \(id) exists already in the network", field: "id")
            }
            try await store(instance, of: script, holder: holder)
            await deliverRetainedChanges(to: id, previous: nil)
            await publishOnStart(id)
        } catch let error as HostError {
            throw error
        } catch {
            throw HostError.internalError("creating \(id): \(error)")
        }
        return await view(of: id)!
    }

    /// Writes the new instance: lease (a single node elects itself; in a network the anchor elects when the
    /// first input is ordered), creation record — the first one of the id's topic is the instance, so a node
    /// that lost a race with another node for the id stops there with 409 —, journal (and in a network the
    /// notice on `instances`, so the instance's other hosts adopt it), then the instance row, the commit point a
    /// restart enumerates.
    private func store(_ instance: TokenInstance, of script: HostedScript, holder: String) async throws {
        let id = instance.id
        let lost = HostError(
            .conflict, code: "instance-exists", "instance \(id) was created by another node first", field: "id")
        var lease: ExecutorLease?
        var won: HeldLease?
        if case .selfElected(let election) = seat {
            do {
                let record = try await election.acquire(id, for: nodeName, seenEpoch: 0)
                lease = record.lease
                won = HeldLease(lease: record.lease, renewedAt: now, expiresAt: record.expiresAt)
            } catch ElectionError.conflict {
                // Another handle on this store elected itself for the id first.
                throw lost
            }
        }
        let creation = InstanceCreation(
            script: script.name, scriptHash: script.scriptHash, holder: holder, initial: instance.canonicalJSON)
        let record = try signer.sign(creation.attestation(instance: id, issuer: signer.issuer, issuedAt: now))
        do {
            guard try await log.append(record, fencedBy: lease).entry.position == 1 else { throw lost }
        } catch AttestationLogError.conflictingAttestation {
            // Another node's creation record holds the id's record id already.
            throw lost
        }
        let journal = try await store.createJournal(JournalHeader(for: instance, signer: journalSigner))
        if case .anchored = seat {
            let notice = CreationNotice.attestation(instance: id, issuer: signer.issuer, issuedAt: now)
            _ = try await log.append(try signer.sign(notice), fencedBy: nil)
        }
        // The local store holds no network lease: the anchor fences the network's writes.
        try await instanceStore.create(instance, fencedBy: lease)
        try await startHosting(instance, script: script, holder: holder, journal: journal)
        await followTopics(of: id)
        // The first input is ordered under the lease just won, without reading the election again.
        if let won { held[id] = won }
    }

    /// Hosts a stored instance whose journal was just created: its live value, subscription and order follower.
    func startHosting(
        _ instance: TokenInstance, script: HostedScript, holder: String, journal: any JournalStore
    ) async throws {
        let journaled = try await JournaledInstance(
            machine: machine(script), store: journal, signer: journalSigner, initial: instance)
        hosted[instance.id] = await hosted(
            id: instance.id, script: script, holder: holder, journal: journal, instance: journaled,
            storedStep: instance.step)
        subscriptions.update(InstanceSubscription(definition: script.definition, instance: instance))
        follow(instance.id)
    }

    /// Refuses (400, field `holder`) a holder that is neither an Ethereum address nor a 0x Ed25519 key.
    static func checkHolder(_ holder: String) throws(HostError) {
        guard GrantHolder(holder) == nil else { return }
        throw HostError(
            .badRequest, code: "invalid-field", "expected an Ethereum address or a 0x Ed25519 key", field: "holder")
    }

    /// A new instance of `script` in its initial state with `attributes` set, each checked against its
    /// declaration.
    /// - Throws: `HostError` 400 naming the id or the attribute.
    static func newInstance(of script: HostedScript, id: String, attributes: [String: SandboxValue]) throws(HostError)
        -> TokenInstance
    {
        guard Self.isInstanceID(id) else {
            throw HostError(
                .badRequest, code: "invalid-field", "expected 1 to 128 characters of A-Z a-z 0-9 . _ -", field: "id")
        }
        var instance = script.definition.newInstance(id: id)
        let server = script.definition.server
        for name in attributes.keys.sorted() {
            guard let attribute = server.attribute(named: name) else {
                throw HostError(
                    .badRequest, code: "invalid-field", "no sl:attribute named \(name)", field: "attributes.\(name)")
            }
            do throws(AttributeTyping.Mismatch) {
                instance.attributes[name] = try AttributeTyping.checked(attributes[name]!, for: attribute)
            } catch {
                throw HostError(.badRequest, code: "invalid-field", error.description, field: "attributes.\(name)")
            }
        }
        return instance
    }

    var now: UInt64 { clock.unixSeconds() }

    /// An id no other create can derive: this node's name (another node derives others), the time and this
    /// node's count of creations (another create in the same second derives another).
    private func derivedID(script: String, holder: String) -> String {
        created += 1
        let digest = SHA256.hash(
            data: Array("\(nodeName)\n\(script)\n\(holder)\n\(now)\n\(hosted.count)\n\(created)".utf8))
        return "i-" + String(Hex.encode(Array(digest), prefix: false).prefix(20))
    }

    static func isInstanceID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128
            && id.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            }
    }
}
