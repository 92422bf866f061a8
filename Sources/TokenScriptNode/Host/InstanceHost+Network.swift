import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSQLite

/// A network node's side of the order rule. Correctness comes from log positions, read on every tick; the
/// order streams only wake the apply loop sooner.
///
/// - Instances: every creation is announced on `instances`; a node hosts exactly the instances whose placement
///   (the anchor's `replicas` hosts by rendezvous) includes it, and follows placement as the membership
///   changes (`InstanceHost+Placement`).
/// - Inputs: a host that accepts an input (posted to it, or read on a topic it follows) leaves a pointer in
///   `inbox/<id>`; whichever node the anchor elected orders every pointer not yet in `order/<id>`, and an input
///   it accepts itself right after them, with no pointer; every host applies `order/<id>`.
/// - Executors: elected by the anchor only; a lease is renewed at a third of its term, and a lease that
///   cannot be renewed is dropped (the anchor fences its appends and effect calls; the node keeps following).
/// - State hashes: every applied step is reported to the anchor, batched per tick.
extension InstanceHost {
    /// One round of the network duties above; the node's anchor service calls it a few times a second.
    public func networkTick() async {
        guard case .anchored(let network) = seat else { return }
        await placeInstances(network)
        await followPendingTopics()
        await discoverTopics()
        await leaveDuePointers()
        for id in hosted.keys.sorted() {
            await orderInbox(id)
            // The tick reads the log's positions whatever the streams delivered (a broken stream loses nothing).
            orderHeads[id] = nil
            await drive(id)
        }
        await reportStateHashes(network)
    }

    /// Renews every lease this node holds that is a third of its term old; drops one the anchor refuses, and one
    /// whose renewal got no answer before the lease ended: a node cut off from the anchor (a request hanging on a
    /// kept-alive connection into a partition) stops acting as executor when its lease ends, not when its HTTP
    /// client gives up, so the anchor can elect another host then without two executors at once.
    public func renewLeases() async {
        guard case .anchored(let network) = seat else { return }
        let time = now
        for (id, held) in held.sorted(by: { $0.key < $1.key }) where held.needsRenewal(at: time) {
            let remaining = held.expiresAt > now ? held.expiresAt - now : 0
            do {
                let record = try await Self.answered(within: .seconds(Int64(remaining))) {
                    try await network.election.renew(held.lease, for: self.nodeName)
                }
                self.held[id] = HeldLease(lease: record.lease, renewedAt: time, expiresAt: record.expiresAt)
            } catch {
                self.held[id] = nil
                logger.warning("executor lease lost", metadata: ["instance": "\(id)", "error": "\(error)"])
            }
        }
    }

    /// `call`'s answer, or `LeaseEnded` when none came within `limit` (the call is cancelled).
    static func answered<Answer: Sendable>(
        within limit: Duration, _ call: @escaping @Sendable () async throws -> Answer
    ) async throws -> Answer {
        try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask { try await call() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw LeaseEnded() }
            return answer
        }
    }

    /// A renewal that got no answer before the lease ended.
    struct LeaseEnded: Error, CustomStringConvertible {
        var description: String { "no answer from the anchor before the lease ended" }
    }

    /// The anchor's elected executor lease of `id` when this node holds it, else nil. A newly won lease first
    /// rereads `order/<id>`, so the new executor never orders an input its predecessor ordered already.
    ///
    /// A lease this node holds with more than a second left is used without asking the anchor again (one
    /// request less on every input's path): if the anchor has elected another host meanwhile, the anchor
    /// refuses the stale fence, and `forgetLease(after:of:)` drops it so the next input asks.
    func electedLease(of id: String) async throws -> ExecutorLease? {
        guard case .anchored(let network) = seat else { return nil }
        if let held = held[id], held.expiresAt > now + 1 { return held.lease }
        let record = try await network.election.elect(id)
        guard record.holder == nodeName, record.isLive(at: now) else {
            held[id] = nil
            // The elected host may hold the instance at rest: it is asked to wake it, so it orders the input.
            if let holder = record.holder { nudge(holder, about: id) }
            return nil
        }
        if held[id]?.lease != record.lease {
            let ordered = try await orderedInputs(of: id)
            hosted[id]?.ordered.formUnion(ordered)
            held[id] = HeldLease(lease: record.lease, renewedAt: now, expiresAt: record.expiresAt)
        }
        return record.lease
    }

    /// Network only: gets `input` ordered for `id`. The elected executor (a lease held) orders the inbox
    /// pointers its inbox stream delivered and it has not ordered yet first (an input accepted earlier elsewhere
    /// keeps its place; one not delivered yet is ordered when it arrives: the order is whatever the executor
    /// records, once), then `input` itself, with no pointer and no request but the append. Any other host — or
    /// the executor when that failed — leaves a pointer in the inbox: on a topic the instance follows, a tick
    /// later and only if the input is still not ordered then (`DeferredPointers`: the executor follows it too);
    /// else at once, asking the anchor to elect. The tick also asks the anchor to elect while a pointer stays
    /// unordered (a first input of an instance nobody executes yet).
    func forward(_ input: LogEntry, to id: String) async throws {
        let key = HostedInstance.orderKey(topic: input.topic, position: input.position)
        if held[id] != nil {
            if recent.entry(topic: InboxRecord.topic(of: id), position: inboxCursors[id] ?? 1) != nil {
                await orderInbox(id)
            }
            do { try await order(input, into: id) } catch {
                logger.warning("cannot order an input at once", metadata: ["instance": "\(id)", "error": "\(error)"])
            }
            if hosted[id]?.ordered.contains(key) == true {
                startDriving(id)
                return
            }
        }
        guard case .anchored = seat, let entry = hosted[id], !entry.ordered.contains(key), !entry.pointed.contains(key)
        else { return }
        // A topic this node does not follow (yet: a prefix pattern's topic not read in the topic index) may not
        // be followed by the executor either: the pointer is how it learns of the input, so it is left at once.
        guard followed.topics(of: id).contains(ExactText(input.topic)) else {
            try await leaveInInbox(input, for: id)
            await orderInbox(id)
            return
        }
        hosted[id]?.pointed.insert(key)
        deferredPointers.add(input, for: id)
    }

    /// At a tick: leaves in the inbox every deferred pointer that waited a whole tick and whose input is still not
    /// ordered; one that cannot be left (the anchor unreachable) waits for the next tick.
    func leaveDuePointers() async {
        for waiting in deferredPointers.takeDue() {
            let key = HostedInstance.orderKey(topic: waiting.input.topic, position: waiting.input.position)
            guard let entry = hosted[waiting.instance], !entry.ordered.contains(key) else { continue }
            do { try await leaveInInbox(waiting.input, for: waiting.instance) } catch {
                logger.warning(
                    "cannot leave an inbox pointer", metadata: ["instance": "\(waiting.instance)", "error": "\(error)"])
                deferredPointers.add(waiting.input, for: waiting.instance)
            }
        }
    }

    /// Drops the held lease of `id` when `error` is the anchor refusing it as stale (another host was elected).
    func forgetLease(after error: any Error, of id: String) {
        guard error is StaleLeaseError else { return }
        held[id] = nil
    }

    /// Network only: leaves `input` in `id`'s inbox (idempotent: the pointer's id derives from the input's
    /// position, and a pointer another host left already is as good), and remembers it left it.
    func leaveInInbox(_ input: LogEntry, for id: String) async throws {
        guard case .anchored = seat else { return }
        let pointer = OrderRecord(topic: input.topic, position: input.position, id: input.attestation.id)
        let record = InboxRecord.attestation(pointer, instance: id, issuer: signer.issuer, issuedAt: now)
        do { remember(try await log.append(try signer.sign(record), fencedBy: nil).entry) } catch let error
            as AttestationLogError
        {
            guard case .conflictingAttestation = error else { throw error }
        }
        let key = HostedInstance.orderKey(topic: input.topic, position: input.position)
        if hosted[id]?.ordered.contains(key) == false { hosted[id]?.pointed.insert(key) }
    }

    /// Orders the inbox pointers of `id` not yet ordered, when this node is the elected executor. The cursor
    /// stops at the first pointer still unordered, so every node keeps asking the anchor to elect until the
    /// input is ordered (which is how a takeover happens after an executor died).
    func orderInbox(_ id: String) async {
        // A released instance (placed elsewhere) is ordered by its hosts; its cursor starts again when it is back.
        guard hosted[id] != nil else { return }
        var position = inboxCursors[id] ?? 1
        defer { inboxCursors[id] = position }
        do {
            for entry in try await inboxEntries(of: id, from: position) {
                guard let pointer = OrderRecord(entry.attestation) else {
                    position = entry.position + 1
                    continue
                }
                let key = HostedInstance.orderKey(topic: pointer.topic, position: pointer.position)
                if hosted[id]?.ordered.contains(key) == false {
                    guard let input = try await logEntry(topic: pointer.topic, position: pointer.position),
                        input.attestation.id == pointer.id
                    else {
                        logger.error("inbox pointer names no logged input", metadata: ["instance": "\(id)"])
                        position = entry.position + 1
                        continue
                    }
                    try await order(input, into: id)
                    guard hosted[id]?.ordered.contains(key) == true else { return }
                }
                position = entry.position + 1
            }
        } catch  where !Task.isCancelled {
            logger.warning("cannot order the inbox", metadata: ["instance": "\(id)", "error": "\(error)"])
        } catch {}
    }

    /// The inbox entries of `id` from `position` on: those the inbox stream delivered or this node appended, while
    /// they follow on from `position` (no request), else up to 100 read from the log. Entries past the kept ones
    /// are read by the next call: the stream delivers each one, and the tick reads every position anyway.
    private func inboxEntries(of id: String, from position: UInt64) async throws -> [LogEntry] {
        let topic = InboxRecord.topic(of: id)
        var kept: [LogEntry] = []
        while let entry = recent.entry(topic: topic, position: position + UInt64(kept.count)) { kept.append(entry) }
        if !kept.isEmpty { return kept }
        return try await log.entries(topic: topic, from: position, limit: 100)
    }

    /// Sends the state hashes of the steps applied since the last report; kept for the next tick on failure.
    private func reportStateHashes(_ network: AnchorMembership) async {
        guard !unreported.isEmpty else { return }
        let batch = unreported
        unreported = []
        do {
            let mismatches = try await network.anchoring.report(batch)
            for mismatch in mismatches {
                logger.error("the anchor recorded a state-hash mismatch", metadata: ["evidence": "\(mismatch)"])
            }
        } catch {
            unreported = Array((batch + unreported).suffix(10_000))
            logger.warning("cannot report state hashes", metadata: ["error": "\(error)"])
        }
    }
}
