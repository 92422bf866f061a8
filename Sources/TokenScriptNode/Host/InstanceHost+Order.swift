import Foundation
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptExecutor

extension InstanceHost {
    /// Accepts one attestation from outside: verified against the trust of every definition whose hosted
    /// instances need its topic (of every hosted script when none does), appended to the log (idempotently: a
    /// retry appends nothing), ordered for each hosted instance whose definition accepts it, then applied in the
    /// background; in a network the hosts of other instances needing it read it from the log
    /// (`InstanceHost+Follow`). Refused (422) when no definition accepts it, with nothing written.
    ///
    /// Nonisolated: the signature is checked off the host's actor, so checks run on both cores while the actor
    /// orders and applies.
    public nonisolated func submit(_ attestation: Attestation) async throws(HostError) -> SubmittedAttestation {
        let candidates = await candidates(for: attestation)
        return try await logAndOrder(try candidates.verified(signatures: verifiedSignatures))
    }

    /// Accepts a batch: every attestation is verified first, and one that no definition accepts refuses the
    /// whole batch (422 naming its index) with nothing written. Then all are logged and ordered at once, so
    /// their appends share the store's group commits; each gets its own answer, in order (a conflicting id is
    /// that element's 409, not the batch's). Logging is idempotent, so resending a batch logs only what is
    /// missing. The signatures are checked off the actor, in as many slices as the machine has cores.
    public nonisolated func submit(batch attestations: [Attestation]) async throws(HostError) -> [Result<
        SubmittedAttestation, HostError
    >] {
        let candidates = await candidates(for: attestations)
        let slices = Swift.max(1, Swift.min(Self.verifyingSlices, candidates.count / 8))
        let signatures = verifiedSignatures
        let checked = await withTaskGroup(of: [Int: Result<Acceptance, HostError>].self) { group in
            for slice in 0..<slices {
                group.addTask {
                    var results: [Int: Result<Acceptance, HostError>] = [:]
                    for index in stride(from: slice, to: candidates.count, by: slices) {
                        results[index] = candidates[index].checked(signatures: signatures)
                    }
                    return results
                }
            }
            return await group.reduce(into: [:]) { all, part in all.merge(part) { first, _ in first } }
        }
        var acceptances: [Acceptance] = []
        for index in candidates.indices {
            switch checked[index] {
            case .success(let acceptance): acceptances.append(acceptance)
            case .failure(let error):
                var refusal = error
                refusal.field = "[\(index)]" + (error.field.map { ".\($0)" } ?? "")
                refusal.message = "attestation \(index) (\(attestations[index].id)): \(error.message)"
                throw refusal
            case nil: throw HostError.internalError("attestation \(index) was not checked")
            }
        }
        return await logAndOrder(batch: acceptances)
    }

    /// How many tasks check a batch's signatures at once: one per core.
    static let verifyingSlices = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Logs and orders accepted attestations concurrently (their appends join the same group commits).
    private func logAndOrder(batch acceptances: [Acceptance]) async -> [Result<SubmittedAttestation, HostError>] {
        await withTaskGroup(of: Answered.self) { group in
            for (index, acceptance) in acceptances.enumerated() {
                group.addTask { Answered(index: index, result: await self.loggedAndOrdered(acceptance)) }
            }
            var answers = [Result<SubmittedAttestation, HostError>](
                repeating: .failure(HostError.internalError("no answer")), count: acceptances.count)
            for await answered in group { answers[answered.index] = answered.result }
            return answers
        }
    }

    /// One element's answer in a batch, by its index.
    struct Answered: Sendable {
        var index: Int
        var result: Result<SubmittedAttestation, HostError>
    }

    private func loggedAndOrdered(_ acceptance: Acceptance) async -> Result<SubmittedAttestation, HostError> {
        do throws(HostError) { return .success(try await logAndOrder(acceptance)) } catch { return .failure(error) }
    }

    /// An attestation verified for the hosted scripts that accept it, and the hosted instances needing its topic.
    struct Acceptance: Sendable {
        var attestation: Attestation
        var reached: [String]
        var accepting: Set<String>
    }

    /// What checking an attestation needs from the actor: the hosted instances needing its topic and the
    /// scripts whose trust it is checked against (every hosted script when no instance needs it).
    struct Candidates: Sendable {
        var attestation: Attestation
        var reached: [String]
        var scripts: [HostedScript]
        var time: UInt64

        /// `verified(signatures:)` as a value, for the tasks that check a batch.
        func checked(signatures: VerifiedSignatures) -> Result<Acceptance, HostError> {
            do throws(HostError) { return .success(try verified(signatures: signatures)) } catch {
                return .failure(error)
            }
        }

        /// Verified against each candidate script's trust; refused (422) when none accepts it.
        func verified(signatures: VerifiedSignatures) throws(HostError) -> Acceptance {
            var rejection: AttestationRejection?
            var accepting: Set<String> = []
            for script in scripts {
                switch AttestationVerifier.verify(
                    attestation, trust: script.definition.trust, now: time, seen: SeenAttestations(),
                    signatures: signatures)
                {
                case .success: accepting.insert(script.name)
                case .failure(let reason): rejection = rejection ?? reason
                }
            }
            guard !accepting.isEmpty else {
                throw HostError(
                    .unprocessable, code: rejection?.reason.code ?? "no-subscriber",
                    rejection?.description ?? "no hosted script subscribes to \(attestation.topic)")
            }
            return Acceptance(attestation: attestation, reached: reached, accepting: accepting)
        }
    }

    private func candidates(for attestation: Attestation) -> Candidates {
        candidates(for: attestation, at: now)
    }

    private func candidates(for attestations: [Attestation]) -> [Candidates] {
        let time = now
        return attestations.map { candidates(for: $0, at: time) }
    }

    private func candidates(for attestation: Attestation, at time: UInt64) -> Candidates {
        let reached = subscriptions.instances(needing: attestation.topic)
        let candidates =
            reached.isEmpty
            ? scripts : scripts.filter { script in reached.contains { hosted[$0]?.script.name == script.name } }
        return Candidates(attestation: attestation, reached: reached, scripts: candidates, time: time)
    }

    /// Logs an accepted attestation and orders it for each hosted instance that accepts it.
    private func logAndOrder(_ acceptance: Acceptance) async throws(HostError) -> SubmittedAttestation {
        await admitted()
        let logged: LogAppend
        do { logged = try await log.append(acceptance.attestation, fencedBy: nil) } catch let error
            as AttestationLogError
        {
            if case .conflictingAttestation = error {
                throw HostError(.conflict, code: "conflicting-attestation", error.description, field: "id")
            }
            throw HostError(.badRequest, code: "invalid-field", error.description)
        } catch {
            throw HostError.internalError("appending to the log: \(error)")
        }
        remember(logged.entry)
        let targets = acceptance.reached.filter { id in
            hosted[id].map { acceptance.accepting.contains($0.script.name) } ?? false
        }
        for id in targets {
            do {
                if case .anchored = seat {
                    try await forward(logged.entry, to: id)
                } else {
                    try await order(logged.entry, into: id)
                }
            } catch {
                logger.error("cannot order input", metadata: ["instance": "\(id)", "error": "\(error)"])
            }
            startDriving(id)
        }
        return SubmittedAttestation(
            topic: logged.entry.topic, position: logged.entry.position, alreadyLogged: logged.wasLoggedBefore,
            instances: targets)
    }

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
                let delivery = try await entry.coordinator.receive(
                    input.attestation, now: ordered.attestation.issuedAt)
                guard let step = delivery.steps.last, hosted[id]?.instance === entry.instance else { return false }
                hosted[id]?.current = InstanceSnapshot(instance: step.outcome.instance, position: step.sequence)
                hosted[id]?.markOrdered(HostedInstance.orderKey(topic: record.topic, position: record.position))
                if case .anchored = seat {
                    unreported.append(
                        .init(instance: id, sequence: position, stateHash: step.outcome.instance.stateHash))
                }
                // The journal advanced the instance's stored row in the step's own transaction.
                let storedStep = max(hosted[id]?.storedStep ?? 0, step.outcome.instance.step)
                hosted[id]?.storedStep = storedStep
                subscriptions.update(
                    InstanceSubscription(definition: entry.script.definition, instance: step.outcome.instance))
                await followTopics(of: id)
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
            var position: UInt64 = 1
            while true {
                let page = try await log.entries(topic: outcome.topic, from: position, limit: 500)
                if let logged = page.first(where: { $0.attestation.id == outcome.id }) { return logged }
                guard let last = page.last else { throw AttestationLogError.malformed(field: "id") }
                position = last.position + 1
            }
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
