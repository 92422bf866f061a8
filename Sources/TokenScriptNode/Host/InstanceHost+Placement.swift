import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSQLite

/// A network node hosts exactly the instances the anchor places on it, and follows placement as the
/// membership changes.
///
/// Every tick the node polls the anchor's member list (one request). When the healthy nodes, their weights
/// or the replica count differ from the last poll (and the anchor counts this node healthy), every instance
/// it has read on `instances` is placed again (one placement question each, the anchor's rendezvous with its
/// pins); otherwise only the newly announced ones are. An instance newly placed here is adopted: from the
/// creation record and `order/<id>` in the log, or, when this node hosted it before, from the journal it kept,
/// catching up from its last position. An instance no longer placed here is released: its follower stops, its
/// subscription and inbox cursor go, and a lease it holds is given back to the anchor so another host is
/// elected at once.
///
/// A released instance's journal and head stay in the node's store: the journal is this node's signed account
/// of the steps it applied (evidence if its state hashes are ever questioned), and a node that comes back into
/// the top `replicas` (a flapping neighbour) catches up from where it stopped instead of from position 1.
extension InstanceHost {
    /// The placement part of the network tick: poll the membership, read new creations, place what is pending.
    func placeInstances(_ network: AnchorMembership) async {
        await observeMembership(network)
        await readCreations()
        await placePending(network)
    }

    private func observeMembership(_ network: AnchorMembership) async {
        do {
            let answer = try await network.placement.membership()
            let members = answer.nodes.filter(\.healthy)
            memberURLs = Dictionary(members.map { ($0.name, $0.url) }, uniquingKeysWith: { first, _ in first })
            // A node the anchor counts down (paused, cut off, its heartbeat late) keeps what it hosts: placing
            // without itself would release everything, and its next heartbeat puts it back.
            guard members.contains(where: { $0.name == nodeName }) else { return }
            // The weight the anchor places with: a burning node's lowered weight moves instances too.
            let healthy = Set(members.map { "\($0.name)#\($0.weight ?? $0.capacity)" })
            if placementState.observe(healthy: healthy, replicas: answer.replicas ?? network.replicas) {
                logger.info(
                    "membership changed: placing every instance again",
                    metadata: ["healthy": "\(healthy.sorted())", "instances": "\(placementState.known.count)"])
            }
        } catch  where !Task.isCancelled {
            logger.warning("cannot read the anchor's membership", metadata: ["error": "\(error)"])
        } catch {}
    }

    /// Reads `instances` from the cursor on; every instance announced is known, a new one pending.
    private func readCreations() async {
        do {
            while true {
                let page = try await log.entries(topic: CreationNotice.topic, from: creationCursor, limit: 100)
                guard !page.isEmpty else { return }
                for entry in page {
                    if let id = CreationNotice.instance(of: entry.attestation) { placementState.learn(id) }
                    creationCursor = entry.position + 1
                }
            }
        } catch  where !Task.isCancelled {
            logger.warning("cannot read the network's creations", metadata: ["error": "\(error)"])
        } catch {}
    }

    /// Asks the anchor where each pending instance goes and hosts or releases it. Stops at the first
    /// unanswered question (the rest stay pending for the next tick); an instance that cannot be adopted for
    /// another reason than the anchor (no such script here) is logged and left.
    private func placePending(_ network: AnchorMembership) async {
        guard let replicas = placementState.replicas else { return }
        for id in placementState.pending.sorted() {
            let hosts: [ServiceNode]
            do { hosts = try await network.placement.hostingNodes(for: id, replicas: replicas) } catch {
                if !Task.isCancelled {
                    logger.warning(
                        "cannot ask where an instance goes", metadata: ["instance": "\(id)", "error": "\(error)"])
                }
                return
            }
            let placed = hosts.contains { $0.id == nodeName }
            if placed, hosted[id] == nil, resting.contains(id) {
                // Placed here and at rest here: it stays at rest.
            } else if !placed, resting.contains(id) {
                await releaseResting(id)
            } else if placed, hosted[id] == nil {
                do { try await host(id) } catch {
                    logger.error("cannot adopt instance", metadata: ["instance": "\(id)", "error": "\(error)"])
                    if error is AnchorClientError { return }
                }
            } else if !placed, hosted[id] != nil {
                await release(id, network)
            }
            placementState.pending.remove(id)
        }
    }

    /// Hosts `id`, newly placed here: reopens the journal kept from an earlier stint or adopts it from the log,
    /// then follows `order/<id>` from the journal's next position.
    private func host(_ id: String) async throws {
        if let stored = try await instanceStore.instance(id) {
            try await reopen(id, definitionID: stored.definitionID)
            logger.info("hosting instance again", metadata: ["instance": "\(id)"])
        } else if try await isRetiredInNetwork(id) {
            logger.info("not adopting a retired instance", metadata: ["instance": "\(id)"])
            return
        } else {
            try await adopt(id)
        }
        inboxCursors[id] = nil
        orderHeads[id] = nil
        follow(id)
        await followTopics(of: id)
        startDriving(id)
    }

    /// Stops hosting `id`, no longer placed here: no follower, no subscription, no inbox cursor; a held lease
    /// is released so the anchor elects one of the instance's hosts now rather than when the lease expires.
    private func release(_ id: String, _ network: AnchorMembership) async {
        followers.removeValue(forKey: id)?.cancel()
        inboxFollowers.removeValue(forKey: id)?.cancel()
        hosted[id] = nil
        orderHeads[id] = nil
        subscriptions.remove(instance: id)
        await followTopics(of: id)
        inboxCursors[id] = nil
        if let lease = held.removeValue(forKey: id)?.lease {
            do { try await network.election.release(lease, for: nodeName) } catch {
                logger.warning("cannot release a lease", metadata: ["instance": "\(id)", "error": "\(error)"])
            }
        }
        logger.info("released instance: placed elsewhere", metadata: ["instance": "\(id)"])
    }

    /// Hosts instance `id` created on another node: the initial value of its creation record (checked to hash
    /// the same), a journal and row in this node's store, and what is ordered so far.
    private func adopt(_ id: String) async throws {
        guard Self.isInstanceID(id) else { throw HostError.internalError("a creation notice names a bad id \(id)") }
        guard let logged = try await log.entry(topic: InstanceCreation.topic(of: id), position: 1),
            let creation = InstanceCreation(logged.attestation), let initial = creation.initial
        else { throw HostError.internalError("instance \(id) has no creation record with its initial value") }
        guard let script = script(named: creation.script), script.scriptHash == creation.scriptHash else {
            throw HostError.internalError("this node hosts no script \(creation.script) of hash \(creation.scriptHash)")
        }
        guard
            let instance = TokenInstance(
                canonicalValue: try SandboxValue.parseJSON(initial), definitionID: script.definition.id),
            instance.id == id, instance.canonicalJSON == initial
        else { throw HostError.internalError("the creation record of \(id) holds no canonical instance") }
        // What is ordered so far, read before hosting starts: assigned after it, across a suspension, the write
        // could put back a copy of the entry from before its apply loop started (two loops applying at once).
        let ordered = try await orderedInputs(of: id)
        let journal = try await store.createJournal(JournalHeader(for: instance, signer: journalSigner))
        try await instanceStore.create(instance, fencedBy: nil)
        try await startHosting(instance, script: script, holder: creation.holder, journal: journal)
        hosted[id]?.ordered.formUnion(ordered)
        await publishOnStart(id)
        logger.info("adopted instance", metadata: ["instance": "\(id)", "script": "\(script.name)"])
    }
}
