import Logging
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSQLite

/// How an instance lives on a node, by its state's lifecycle (`sl:state lifecycle=`):
///
/// - `active` instances stay in memory.
/// - `dormant` ones quiet for `InstanceLifecyclePolicy.dormantAfter` are put to rest: dropped from memory (their
///   journal handle, coordinator, order follower and subscription) and marked in the store with the log topics
///   they wait on (`SQLiteInstanceLifecycle`). A request for one (read, query, events, action) or an
///   attestation of a topic it waits on reinstates it from the store first, as a restart would reopen it; a
///   restart leaves the resting ones in the store.
/// - `expired` ones quiet for `expiredRetention` are retired: the journal is archived to a journal file (the
///   format `tokenscript replay` reads), then the journal, the head and every dormant row are deleted in one
///   transaction that records the retirement. A request for one answers 410; its id cannot be created again.
///
/// Quiet means nothing is left to do: no apply loop running or asked for, no input being ordered, nothing
/// ordered and not applied, no effect pending, no change waiting to be published, no event stream open.
///
/// On a node of an anchor's network (`InstanceHost+RestingInNetwork`), a resting instance keeps only its place in
/// the topics it follows, and an input in its inbox wakes it by a nudge. Instances with prefix patterns stay in
/// memory there. An expired instance is retired in a network only once its executor has logged the retirement
/// (`RetirementRecord`), so every host retires it and no node adopts it again.
///
/// Putting to rest and retiring are transitions (`transitions`): a request or an input arriving meanwhile waits
/// for the store's write, so it finds the instance in memory or marked in the store, never between the two.
extension InstanceHost {
    /// The lifecycle sweep, once a second (`LifecycleService`): puts quiet dormant instances to rest and retires
    /// quiet expired ones, by the node's policy (in a network, once the retirement is logged: `retirementAgreed`).
    public func settleLifecycles() async {
        let single = if case .selfElected = seat { true } else { false }
        let time = now
        for id in hosted.keys.sorted() {
            guard let entry = hosted[id],
                let lifecycle = entry.script.definition.server.state(named: entry.current.instance.state)?.lifecycle
            else { continue }
            let idle = time >= entry.activeAt ? time - entry.activeAt : 0
            // At least a second: an instance a request just reinstated is not put back before its input is ordered.
            switch lifecycle {
            case .dormant where idle >= Swift.max(1, lifecyclePolicy.dormantAfter):
                await putToRest(id)
            case .expired where idle >= Swift.max(1, lifecyclePolicy.expiredRetention):
                guard let directory = lifecyclePolicy.archiveDirectory else { continue }
                if !single, !(await retirementAgreed(id)) { continue }
                await retire(id, archivingTo: directory)
            default: continue
            }
        }
    }

    /// Makes sure `id` is in memory, reinstating it from the store when it rests there, and counts the request
    /// as activity. False when this node has no such instance (neither hosted nor resting).
    /// - Parameter touching: whether the call counts as activity (a request does; another node's nudge does not,
    ///   or nudges could keep an instance from ever resting or retiring).
    /// - Throws: `HostError` 500 when a resting instance cannot be reopened.
    @discardableResult
    func awake(_ id: String, touching: Bool = true) async throws(HostError) -> Bool {
        if let transition = transitions[id] { await transition.value }
        if hosted[id] != nil {
            if touching { hosted[id]?.activeAt = now }
            return true
        }
        guard restingCount > 0, Self.isInstanceID(id) else { return false }
        let task: Task<Result<Bool, HostError>, Never>
        if let started = waking[id] {
            task = started
        } else {
            task = Task { await self.reinstate(id) }
            waking[id] = task
        }
        let result = await task.value
        waking[id] = nil
        return try result.get()
    }

    /// `awake`, or the request's refusal: 410 for a retired instance, 404 for one this node never had.
    func requireHosted(_ id: String, touching: Bool = true) async throws(HostError) {
        guard try await awake(id, touching: touching) == false else { return }
        let retired: RetiredInstance?
        do { retired = try await lifecycle.retired(id) } catch {
            throw HostError.internalError("reading the retirement of \(id): \(error)")
        }
        if let retired {
            throw HostError(
                .gone, code: "instance-retired",
                "instance \(id) expired and was retired at \(retired.retiredAt) (step \(retired.step)); "
                    + "its journal is archived at \(retired.archive)")
        }
        throw Self.unknown(id)
    }

    /// Reinstates every resting instance waiting on `topic`, so an attestation of it reaches them.
    func reinstateResting(needing topic: String) async {
        for id in transitions.keys { await transitions[id]?.value }
        guard restingCount > 0 else { return }
        do {
            for id in try await lifecycle.dormantInstances(needing: topic) { _ = try await awake(id) }
        } catch {
            logger.error("cannot reinstate resting instances", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }

    /// Reopens a resting instance as a restart would and unmarks it in the store; false when it is not resting.
    private func reinstate(_ id: String) async -> Result<Bool, HostError> {
        do {
            guard let definitionID = try await lifecycle.restingDefinition(of: id) else { return .success(false) }
            try await reopen(id, definitionID: definitionID)
            try await lifecycle.markAwake(id)
            restingCount -= 1
            resting.remove(id)
            follow(id)
            await followTopics(of: id)
            startDriving(id)
            await publishOnStart(id)
            return .success(true)
        } catch {
            logger.error("cannot reinstate instance", metadata: ["instance": "\(id)", "error": "\(error)"])
            return .failure(HostError.internalError("reinstating \(id) from the store: \(error)"))
        }
    }

    /// Whether `id` has nothing left to do now (see the extension's comment); the pending effects are read by
    /// the caller, which must not suspend between this and dropping the instance.
    private func isQuiet(_ id: String) -> Bool {
        guard let entry = hosted[id] else { return false }
        if applying.contains(id) || redrive.contains(id) || waking[id] != nil || watchers[id] != nil
            || ordering[id] != nil
        {
            return false
        }
        if unpublished[id]?.isEmpty == false { return false }
        // Network: no input pointed at and not seen ordered, none waiting to be pointed at, no topic to follow yet.
        if !entry.pointed.isEmpty || deferredPointers.contains(instance: id) || topicsPending.contains(id) {
            return false
        }
        if let head = orderHeads[id], head > entry.current.position { return false }
        return true
    }

    /// Whether `entry`'s coordinator has no effect waiting for its outcome.
    private func hasNoPendingEffects(_ entry: HostedInstance) async -> Bool {
        (try? await entry.coordinator.pending.isEmpty) ?? false
    }

    private func putToRest(_ id: String) async {
        guard let entry = hosted[id], await hasNoPendingEffects(entry), hosted[id]?.instance === entry.instance,
            isQuiet(id)
        else { return }
        let subscription = subscriptions.subscription(of: id)
        let patterns = subscription?.patterns ?? []
        var positions: [ExactText: UInt64] = [:]
        if case .anchored = seat {
            // A prefix pattern's topics are found per instance in the topic index: such an instance stays.
            guard subscription?.logPatterns.contains(where: { $0.match == .prefix }) != true else { return }
            for topic in followed.topics(of: id) { positions[topic] = followed.next(of: topic, for: id) }
            resting.insert(id)
        }
        let definitionID = entry.script.definition.id
        let lease = held[id]?.lease
        let kept = positions
        drop(id)
        let time = now
        await transition(id) {
            do {
                try await self.lifecycle.markDormant(id, waitingOn: patterns, since: time, positions: kept)
                await self.countResting(1)
                if let lease { await self.releaseLease(lease) }
            } catch {
                // Not marked: it must stay hosted, or nothing would find it until a restart.
                await self.reopenAfterFailure(id, definitionID: definitionID, error: error)
            }
        }
    }

    /// Answers `POST /v1/instances/{id}/wake`: reinstates `id` when it rests here.
    /// - Throws: 404 when this node has no such instance, 410 when it was retired.
    public func wake(_ id: String) async throws(HostError) {
        try await requireHosted(id, touching: false)
    }

    private func retire(_ id: String, archivingTo directory: String) async {
        guard let entry = hosted[id], await hasNoPendingEffects(entry) else { return }
        let lines: [[UInt8]]
        do { lines = [entry.journal.header.line] + (try await entry.journal.entries(from: 1)).map(\.line) } catch {
            logger.error("cannot read a journal to archive", metadata: ["instance": "\(id)", "error": "\(error)"])
            return
        }
        let archive: String
        do {
            let initial = try await initialInstance(of: id, definitionID: entry.script.definition.id)
            archive = try JournalArchive.write(lines, initial: initial, instance: id, directory: directory)
        } catch {
            logger.error("cannot archive a journal", metadata: ["instance": "\(id)", "error": "\(error)"])
            return
        }
        // Anything applied while the archive was written is not in it: retired at a later sweep instead.
        guard hosted[id]?.instance === entry.instance, isQuiet(id), entry.current.position == UInt64(lines.count - 1)
        else { return }
        let retired = RetiredInstance(
            id: id, definitionID: entry.script.definition.id, step: entry.current.instance.step,
            stateHash: entry.current.instance.stateHash, retiredAt: now, archive: archive)
        let lease = held[id]?.lease
        drop(id)
        retirementAsked[id] = nil
        inboxCursors[id] = nil
        await transition(id) {
            do {
                try await self.lifecycle.retire(retired)
                await self.countRetired()
                // Network: its topics are no longer followed for it, and its lease goes back to the anchor.
                await self.followTopics(of: id)
                if let lease { await self.releaseLease(lease) }
                self.logger.info(
                    "retired an expired instance", metadata: ["instance": "\(id)", "archive": "\(archive)"])
            } catch {
                await self.reopenAfterFailure(id, definitionID: retired.definitionID, error: error)
            }
        }
    }

    /// The instance `id` was created as, from its creation record; nil for a record from before networks.
    private func initialInstance(of id: String, definitionID: String) async throws -> TokenInstance? {
        guard let creation = try await log.entry(topic: InstanceCreation.topic(of: id), position: 1),
            let text = InstanceCreation(creation.attestation)?.initial
        else { return nil }
        return TokenInstance(canonicalValue: try SandboxValue.parseJSON(text), definitionID: definitionID)
    }

    /// Runs a store write that moves `id` out of memory, while requests for it wait (`awake`).
    private func transition(_ id: String, _ write: @escaping @Sendable () async -> Void) async {
        let task = Task { await write() }
        transitions[id] = task
        await task.value
        transitions[id] = nil
    }

    private func countResting(_ change: Int) { restingCount += change }

    private func countRetired() { retiredCount += 1 }

    private func reopenAfterFailure(_ id: String, definitionID: String, error: any Error) async {
        logger.error("cannot move an instance out of memory", metadata: ["instance": "\(id)", "error": "\(error)"])
        resting.remove(id)
        do {
            try await reopen(id, definitionID: definitionID)
            follow(id)
            await followTopics(of: id)
            startDriving(id)
        } catch {
            logger.error("cannot reopen instance", metadata: ["instance": "\(id)", "error": "\(error)"])
        }
    }

    /// Forgets `id` in memory: its entry, subscription, followers and what the apply loop kept for it.
    func drop(_ id: String) {
        hosted[id] = nil
        subscriptions.remove(instance: id)
        followers.removeValue(forKey: id)?.cancel()
        inboxFollowers.removeValue(forKey: id)?.cancel()
        held[id] = nil
        orderHeads[id] = nil
        changeMarks[id] = nil
        unpublished[id] = nil
    }

    /// How many instances rest in the store, and how many were retired: counted from the store at `recover`,
    /// then as they move, so the list and the status page do not count a million rows on every request.
    public func lifecycleCounts() -> (resting: Int, retired: Int) { (restingCount, retiredCount) }
}
