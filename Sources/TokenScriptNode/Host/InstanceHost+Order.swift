import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptExecutor

extension InstanceHost {
    /// Appends `input`'s order record to `order/<id>` when this node is the executor and it is not ordered yet.
    func order(_ input: LogEntry, into id: String) async throws {
        let key = HostedInstance.orderKey(topic: input.topic, position: input.position)
        // Checked again once the lease is won: a new executor rereads what its predecessor ordered.
        guard hosted[id]?.ordered.contains(key) == false, let lease = try await executorLease(of: id),
            hosted[id]?.ordered.contains(key) == false
        else { return }
        let record = OrderRecord(topic: input.topic, position: input.position, id: input.attestation.id)
        let signed = try signer.sign(record.attestation(instance: id, issuer: signer.issuer, issuedAt: now))
        do { rememberOrderRecord(try await log.append(signed, fencedBy: lease).entry, of: id) } catch {
            // A kept lease another handle took over is refused by the fence: read the election again next time.
            if case .selfElected = seat { held[id] = nil }
            forgetLease(after: error, of: id)
            throw error
        }
        hosted[id]?.markOrdered(key)
    }

    /// This node's live lease on `id`, or nil while another node executes the instance. A single node renews
    /// its lease or elects itself when nobody holds a live one; a network node asks the anchor to elect (the
    /// anchor keeps a live, healthy holder) and renews through its renewal task.
    ///
    /// A single node keeps the lease it won or renewed (`held`) and reads and renews it again only a third of
    /// its term later, not for every input: every write it guards is fenced in its own transaction, so a lease
    /// taken over meanwhile (another handle on the store) is refused there, and then forgotten here.
    func executorLease(of id: String) async throws -> ExecutorLease? {
        let time = now
        guard case .selfElected(let election) = seat else { return try await electedLease(of: id) }
        if let kept = held[id], !kept.needsRenewal(at: time), time < kept.expiresAt { return kept.lease }
        held[id] = nil
        let won: LeaseRecord
        if let record = try await election.record(of: id) {
            if record.holder == nodeName, record.isLive(at: time) {
                won = try await election.renew(record.lease, for: nodeName)
            } else if record.isLive(at: time) {
                return nil
            } else {
                won = try await election.acquire(id, for: nodeName, seenEpoch: record.lease.epoch)
            }
        } else {
            won = try await election.acquire(id, for: nodeName, seenEpoch: 0)
        }
        held[id] = HeldLease(lease: won.lease, renewedAt: time, expiresAt: won.expiresAt)
        return won.lease
    }

    /// Runs `id`'s apply loop on a task of its own; while the loop runs already, asks it to go round once more
    /// instead (what `drive` would do). A finished task removes its handle, so the handles stay few.
    func startDriving(_ id: String) {
        if applying.contains(id) {
            redrive.insert(id)
            return
        }
        driverCount &+= 1
        let serial = driverCount
        drivers[serial] = Task {
            await self.drive(id)
            await self.driverEnded(serial)
        }
    }

    private func driverEnded(_ serial: UInt64) {
        drivers[serial] = nil
        if drivers.count < admission.limit { admission.admitNext() }
    }

    /// Waits while the apply loops started and not ended reach `admission.limit` (`DriveAdmission`).
    func admitted() async {
        while drivers.count >= admission.limit {
            await withCheckedContinuation { admission.wait($0) }
        }
    }

    /// The apply loop of one instance: applies `order/<id>` from the journal's position on, then (executor
    /// only) runs the effects now pending and orders their outcomes; again while anything new arrived.
    func drive(_ id: String) async {
        guard hosted[id] != nil else { return }
        guard applying.insert(id).inserted else {
            redrive.insert(id)
            return
        }
        defer { applying.remove(id) }
        var rounds = 0
        repeat {
            redrive.remove(id)
            rounds += 1
            let applied = await applyOrdered(id)
            await publishChanges(id)
            let outcomes = await runEffects(id)
            if applied && outcomes > 0 { redrive.insert(id) }
        } while redrive.contains(id) && hosted[id] != nil && rounds < 64 && !Task.isCancelled
    }

    /// Applies every order record after the journal's last sequence; false when one could not be applied
    /// (logged; the next drive retries it).
    private func applyOrdered(_ id: String) async -> Bool {
        guard let entry = hosted[id] else { return false }
        var position = await entry.instance.head.nextSequence
        // Stops when the instance is released (placed elsewhere) or hosted anew while it applies.
        while !Task.isCancelled, hosted[id]?.instance === entry.instance {
            do {
                if let known = orderHeads[id], position > known { return true }
                guard let ordered = try await logEntry(topic: OrderRecord.topic(of: id), position: position) else {
                    return true
                }
                guard let record = OrderRecord(ordered.attestation),
                    let input = try await logEntry(topic: record.topic, position: record.position),
                    input.attestation.id == record.id
                else {
                    logger.error("order record names no logged input", metadata: ["instance": "\(id)"])
                    return false
                }
                let before = hosted[id]?.current.instance
                let delivery = try await entry.coordinator.receive(
                    input.attestation, now: ordered.attestation.issuedAt)
                guard let step = delivery.steps.last, hosted[id]?.instance === entry.instance else { return false }
                if var previous = before {
                    for each in delivery.steps {
                        recordChange(of: id, script: entry.script, from: previous, step: each)
                        previous = each.outcome.instance
                    }
                }
                hosted[id]?.current = InstanceSnapshot(instance: step.outcome.instance, position: step.sequence)
                hosted[id]?.activeAt = now
                hosted[id]?.markOrdered(HostedInstance.orderKey(topic: record.topic, position: record.position))
                if case .anchored = seat {
                    unreported.append(
                        .init(instance: id, sequence: position, stateHash: step.outcome.instance.stateHash))
                }
                // The journal advanced the instance's stored row in the step's own transaction.
                let storedStep = max(hosted[id]?.storedStep ?? 0, step.outcome.instance.step)
                hosted[id]?.storedStep = storedStep
                let previous = subscriptions.subscription(of: id)
                let subscription = InstanceSubscription(
                    definition: entry.script.definition, instance: step.outcome.instance)
                subscriptions.update(subscription)
                await followTopics(of: id)
                if previous != subscription { await deliverRetainedChanges(to: id, previous: previous) }
                position += 1
            } catch {
                logger.error("cannot apply order record", metadata: ["instance": "\(id)", "error": "\(error)"])
                return false
            }
        }
        return false
    }

    /// Logs an outcome attestation. Its id derives from the request (`effect-outcome/<request>/<type>`), so a
    /// repeat after a crash between logging and ordering the first outcome finds that one logged with other
    /// content (timings): the logged one is the outcome, and it is the one ordered.
    private func logOutcome(_ outcome: Attestation, fencedBy lease: ExecutorLease) async throws -> LogEntry {
        do { return try await log.append(outcome, fencedBy: lease).entry } catch let error as AttestationLogError {
            guard case .conflictingAttestation = error else { throw error }
            guard let logged = try await loggedEntry(outcome.id, of: outcome.topic) else {
                throw AttestationLogError.malformed(field: "id")
            }
            return logged
        }
    }

    /// The entry of `topic` logged under attestation `id`, searched from the topic's first position.
    func loggedEntry(_ id: String, of topic: String) async throws -> LogEntry? {
        var position: UInt64 = 1
        while true {
            let page = try await log.entries(topic: topic, from: position, limit: 500)
            if let logged = page.first(where: { $0.attestation.id == id }) { return logged }
            guard let last = page.last else { return nil }
            position = last.position + 1
        }
    }

    /// Executor only: runs the pending effects under this node's lease, logs each outcome attestation and
    /// orders it for the instance. Returns how many outcomes were ordered.
    private func runEffects(_ id: String) async -> Int {
        do {
            // Read first, so a drive with nothing pending writes nothing (no lease renewal).
            guard let current = hosted[id]?.coordinator, !(try await current.pending.isEmpty),
                let lease = try await executorLease(of: id), let entry = hosted[id]
            else { return 0 }
            if entry.coordinatorLease != lease {
                // Built first, then stored: an optional-chained write across a suspension could put back a copy
                // of the entry read before it (losing inputs ordered meanwhile).
                let coordinator = await EffectCoordinator(
                    instance: entry.instance, identity: signer, lease: lease, executor: effects,
                    environment: entry.script.environment, runtime: runtime)
                hosted[id]?.coordinator = coordinator
                hosted[id]?.coordinatorLease = lease
            }
            guard let coordinator = hosted[id]?.coordinator else { return 0 }
            var ordered = 0
            for run in try await coordinator.executePending() {
                if let refusal = run.refusal {
                    logger.warning("effect refused", metadata: ["request": "\(run.requestID)", "why": "\(refusal)"])
                }
                for outcome in run.outcomeAttestations {
                    let logged = try await logOutcome(outcome, fencedBy: lease)
                    remember(logged)
                    try await order(logged, into: id)
                    ordered += 1
                }
            }
            return ordered
        } catch {
            forgetLease(after: error, of: id)
            logger.error("cannot run effects", metadata: ["instance": "\(id)", "error": "\(error)"])
            return 0
        }
    }
}
