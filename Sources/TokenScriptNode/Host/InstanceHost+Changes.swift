import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptExecutor

/// Tokens that follow tokens (`sl:follow`): the executor of an instance some hosted script follows publishes
/// each applied step that changed its state or stored attributes as a change attestation on
/// `changes/<instance>` (`ChangeAttestations`), signed with this node's key and appended fenced by its lease,
/// so only the instance's executor can publish (the anchor refuses a fence for another instance). Followers
/// receive it like any input: ordered by their own executor, replayed from the log.
///
/// Every host records the changes it applies; only the lease holder publishes them, the others drop them. A new
/// executor compares the topic's last change with the instance and publishes the instance as it is when they
/// differ (a predecessor that applied a step and stopped before publishing it), so a follower always ends with
/// the followed instance's latest state. Ids derive from (instance, sequence): a step two executors publish is
/// logged once.
extension InstanceHost {
    /// Records a step `apply` made for publishing, when some hosted script follows the instance's token.
    func recordChange(of id: String, script: HostedScript, from previous: TokenInstance, step: CoordinatedStep) {
        guard script.followed, ChangeAttestations.isChange(from: previous, to: step.outcome.instance) else { return }
        unpublished[id, default: []].append(
            PendingChange(
                sequence: step.sequence, previousState: previous.state, instance: step.outcome.instance,
                time: step.attestation.issuedAt))
    }

    /// Executor only: publishes the changes recorded for `id` (after its latest published one), or the instance
    /// as it is when the log's last change differs from it; every other host forgets what it recorded.
    func publishChanges(_ id: String) async {
        let recorded = unpublished.removeValue(forKey: id) ?? []
        guard let entry = hosted[id], entry.script.followed, let lease = await publishingLease(of: id) else { return }
        do {
            let topic = ChangeAttestations.topic(of: id)
            var last = try await lastChange(of: id, topic: topic, under: lease)
            var pending = recorded.filter { $0.sequence > (last?.sequence ?? 0) }
            let current = entry.current
            // Nothing published yet (a new instance: its initial value), or a predecessor's last change is behind.
            let behind = last.map { $0.differs(from: current.instance) && current.position > $0.sequence } ?? true
            if pending.isEmpty, behind {
                pending = [
                    PendingChange(
                        sequence: current.position, previousState: last?.state, instance: current.instance,
                        time: now)
                ]
            }
            for change in pending {
                let signed = try signer.sign(
                    ChangeAttestations.change(
                        of: change.instance, token: entry.script.definition.tokenScriptName,
                        sequence: change.sequence, previousState: change.previousState, time: change.time,
                        issuer: signer.issuer))
                let logged = try await appendChange(signed, fencedBy: lease)
                last = ChangeAttestations.published(logged.attestation)
                changeMarks[id] = ChangeMark(lease: lease, last: last)
                remember(logged)
                await deliverLocally(logged)
            }
        } catch {
            changeMarks[id] = nil
            forgetLease(after: error, of: id)
            logger.error("cannot publish a change", metadata: ["instance": "\(id)", "error": "\(error)"])
        }
    }

    /// Publishes a followed instance's value when this node starts hosting it (created, adopted, reopened) and
    /// is its executor, so a follower always finds a latest change to start from; a network node asks the anchor
    /// to elect here, once per instance it starts hosting.
    func publishOnStart(_ id: String) async {
        guard hosted[id]?.script.followed == true else { return }
        do { _ = try await executorLease(of: id) } catch {
            logger.warning("cannot read the election", metadata: ["instance": "\(id)", "error": "\(error)"])
            return
        }
        await publishChanges(id)
    }

    /// Single node: hands `id` the latest change already logged on each `changes/<instance>` it follows now and
    /// did not before (`previous`), so a follower starts from the followed instance's current value; later
    /// changes reach it as they are published (`deliverLocally`). A network node starts its topic readers at
    /// that change instead (`followTopics`).
    func deliverRetainedChanges(to id: String, previous: InstanceSubscription?) async {
        guard case .selfElected = seat, let subscription = subscriptions.subscription(of: id) else { return }
        for pattern in subscription.logPatterns where pattern.match == .exact {
            let topic = pattern.text.description
            guard ChangeAttestations.isChangeTopic(topic), previous?.needs(topic) != true else { continue }
            let latest: LogEntry?
            do { latest = try await log.latestEntry(of: topic) } catch {
                logger.error("cannot read a retained change", metadata: ["instance": "\(id)", "error": "\(error)"])
                continue
            }
            guard let latest,
                hosted[id]?.ordered.contains(HostedInstance.orderKey(topic: topic, position: latest.position)) == false
            else { continue }
            remember(latest)
            await orderAndDrive(latest, for: id)
        }
    }

    /// The lease to publish under: a single node's own (it elects itself), a network node's only while it holds
    /// one already (asking the anchor from every host after every step would cost a request each).
    private func publishingLease(of id: String) async -> ExecutorLease? {
        switch seat {
        case .selfElected: return try? await executorLease(of: id)
        case .anchored:
            guard let kept = held[id], kept.expiresAt > now + 1 else { return nil }
            return kept.lease
        }
    }

    /// The last change logged for `id`, read once per lease (another executor may have published meanwhile).
    private func lastChange(
        of id: String, topic: String, under lease: ExecutorLease
    ) async throws -> ChangeAttestations.Published? {
        if let mark = changeMarks[id], mark.lease == lease { return mark.last }
        let last = try await log.latestEntry(of: topic).flatMap { ChangeAttestations.published($0.attestation) }
        changeMarks[id] = ChangeMark(lease: lease, last: last)
        return last
    }

    /// Appends a change; one already logged under its id (another executor published the step) is the change.
    private func appendChange(_ change: Attestation, fencedBy lease: ExecutorLease) async throws -> LogEntry {
        do { return try await log.append(change, fencedBy: lease).entry } catch let error as AttestationLogError {
            guard case .conflictingAttestation = error, let logged = try await loggedEntry(change.id, of: change.topic)
            else { throw error }
            return logged
        }
    }

    /// Hands a published change to the hosted instances that follow it, as `submit` does with an input (in a
    /// network the others read it from the anchor's log).
    private func deliverLocally(_ logged: LogEntry) async {
        await reinstateResting(needing: logged.topic)
        for follower in subscriptions.instances(needing: logged.topic) where hosted[follower] != nil {
            await orderAndDrive(logged, for: follower)
        }
    }
}

/// The last change of an instance's topic as read (or published) under a lease of this node.
struct ChangeMark: Sendable {
    var lease: ExecutorLease
    var last: ChangeAttestations.Published?
}

/// A step that changed a followed instance, recorded when it was applied and published by the executor.
struct PendingChange: Sendable {
    var sequence: UInt64
    var previousState: String?
    var instance: TokenInstance
    var time: UInt64
}
