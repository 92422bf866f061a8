import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster

/// The network's side of the lifecycle (`InstanceHost+Lifecycle`): what a node keeps of an instance at rest and
/// how the instance comes back.
///
/// A resting instance keeps its place in the exact topics it follows (`FollowedTopics`, and the positions in the
/// store for a restart), so their readers wake it on every host at the next attestation; its order and inbox
/// topics are no longer followed and its lease is handed back, so the anchor elects again for its next input.
/// An input that reaches it through its inbox only (an action sent to any node, a pointer another host left)
/// wakes it by a nudge: a node that asks the anchor to elect and finds another node elected asks that node to
/// wake the instance (`POST /v1/instances/{id}/wake`). A host at rest applies the steps ordered meanwhile when it
/// wakes, as a restarted host catches up.
extension InstanceHost {
    /// Network: hands a lease back to the anchor when its instance goes to rest, so the anchor elects a host
    /// that is awake (or wakes this one) rather than waiting for the lease to end.
    func releaseLease(_ lease: ExecutorLease) async {
        guard case .anchored(let network) = seat else { return }
        do { try await network.election.release(lease, for: nodeName) } catch {
            logger.warning("cannot release a lease", metadata: ["instance": "\(lease.instance)", "error": "\(error)"])
        }
    }

    /// Network: `id`, at rest here, is no longer placed here: its marks go, and so do its followed topics.
    func releaseResting(_ id: String) async {
        do { try await lifecycle.markAwake(id) } catch {
            logger.error("cannot release a resting instance", metadata: ["instance": "\(id)", "error": "\(error)"])
            return
        }
        resting.remove(id)
        restingCount -= 1
        for topic in followed.topics(of: id) where followed.remove(instance: id, topic: topic) {
            topicReaders.removeValue(forKey: topic)?.task.cancel()
        }
        inboxCursors[id] = nil
        discovered.forget(id, keeping: [])
        logger.info("released a resting instance: placed elsewhere", metadata: ["instance": "\(id)"])
    }

    /// Network, at a restart: the instances at rest here and the topic positions kept for them, followed again.
    func followResting() async throws {
        guard case .anchored = seat, restingCount > 0 else { return }
        resting = Set(try await lifecycle.dormantIDs())
        for follow in try await lifecycle.restingFollows() {
            followed.add(instance: follow.instance, topic: follow.topic, from: follow.next)
        }
        for topic in followed.allTopics.sorted() { readTopic(topic) }
    }

    /// Network: asks the node the anchor elected for `id` to wake it (`POST /v1/instances/{id}/wake`), when an
    /// input waits for its executor and that node may hold it at rest; once every two seconds per instance at
    /// most. Inputs on a topic wake every host that follows it; this is how an action or an inbox pointer does.
    func nudge(_ holder: String, about id: String) {
        guard holder != nodeName, let url = memberURLs[holder] else { return }
        let time = now
        if let last = nudged[id], time < last + 2 { return }
        if nudged.count > 10_000 { nudged = nudged.filter { time < $0.value + 2 } }
        nudged[id] = time
        Task { await PeerWake.send(to: url, instance: id) }
    }

    /// Network: whether `id` may be retired here now: its retirement is logged already, or this node is its
    /// executor and logs it (fenced by its lease). Asked at most every five seconds per instance; false while
    /// another node executes it and has not logged it yet (its own sweep will), or the anchor cannot be reached.
    func retirementAgreed(_ id: String) async -> Bool {
        guard case .anchored = seat, let entry = hosted[id] else { return false }
        let time = now
        if let asked = retirementAsked[id], time < asked + 5 { return false }
        retirementAsked[id] = time
        let topic = RetirementRecord.topic(of: id)
        do {
            if try await log.head(of: topic) > 0 { return true }
            guard let lease = try await electedLease(of: id) else { return false }
            let record = try signer.sign(
                RetirementRecord.attestation(
                    instance: id, step: entry.current.instance.step, stateHash: entry.current.instance.stateHash,
                    issuer: signer.issuer, issuedAt: time))
            do { _ = try await log.append(record, fencedBy: lease) } catch let error as AttestationLogError {
                // Logged already by an earlier attempt (another time, so other content): retired all the same.
                guard case .conflictingAttestation = error else { throw error }
            }
            return true
        } catch {
            forgetLease(after: error, of: id)
            logger.warning("cannot log a retirement", metadata: ["instance": "\(id)", "error": "\(error)"])
            return false
        }
    }

    /// Network: whether `id`'s retirement is logged, so it must not be adopted.
    func isRetiredInNetwork(_ id: String) async throws -> Bool {
        try await log.head(of: RetirementRecord.topic(of: id)) > 0
    }
}
