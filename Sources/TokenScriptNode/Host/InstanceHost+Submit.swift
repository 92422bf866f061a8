import Foundation
import TokenScriptAttestation
import TokenScriptCluster

/// Accepting attestations from outside (`POST /v1/attestations`), one or a batch: checked off the actor, then
/// logged and routed to every hosted instance whose definition accepts them.
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
    /// whole batch (422 naming its index) with nothing written. Then all are logged and ordered, those of one
    /// topic in the batch's order and the topics at once, so their appends share the store's group commits; each
    /// gets its own answer, in order (a conflicting id is that element's 409, not the batch's). Logging is
    /// idempotent, so resending a batch logs only what is missing. The signatures are checked off the actor, in
    /// as many slices as the machine has cores.
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

    /// Logs and orders accepted attestations: those of one topic one after the other, in the batch's order (their
    /// log positions are the order every instance applies them in), the topics concurrently, so their appends join
    /// the same group commits.
    private func logAndOrder(batch acceptances: [Acceptance]) async -> [Result<SubmittedAttestation, HostError>] {
        var byTopic: [ExactText: [Int]] = [:]
        for (index, acceptance) in acceptances.enumerated() {
            byTopic[ExactText(acceptance.attestation.topic), default: []].append(index)
        }
        return await withTaskGroup(of: [Answered].self) { group in
            for indices in byTopic.values {
                group.addTask {
                    var answered: [Answered] = []
                    for index in indices {
                        answered.append(Answered(index: index, result: await self.loggedAndOrdered(acceptances[index])))
                    }
                    return answered
                }
            }
            var answers = [Result<SubmittedAttestation, HostError>](
                repeating: .failure(HostError.internalError("no answer")), count: acceptances.count)
            for await part in group {
                for answered in part { answers[answered.index] = answered.result }
            }
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

    /// The candidates of an attestation, once the instances resting in the store that need its topic are back.
    private func candidates(for attestation: Attestation) async -> Candidates {
        await reinstateResting(needing: attestation.topic)
        return candidates(for: attestation, at: now)
    }

    private func candidates(for attestations: [Attestation]) async -> [Candidates] {
        for topic in Set(attestations.map { ExactText($0.topic) }).sorted() {
            await reinstateResting(needing: topic.description)
        }
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
        let logged = try await appendInput(acceptance.attestation)
        // Back in memory if the lifecycle sweep put one to rest while the input was checked and logged.
        for id in acceptance.reached where hosted[id] == nil { _ = try? await awake(id) }
        let targets = acceptance.reached.filter { id in
            hosted[id].map { acceptance.accepting.contains($0.script.name) } ?? false
        }
        for id in targets { await orderAndDrive(logged.entry, for: id) }
        return SubmittedAttestation(
            topic: logged.entry.topic, position: logged.entry.position, alreadyLogged: logged.wasLoggedBefore,
            instances: targets)
    }

    /// Appends an input accepted from outside (unfenced, idempotent by id) and keeps the entry for the apply
    /// loop; an id logged with other content is a 409 (`conflict` says what that means to the caller).
    func appendInput(_ attestation: Attestation, conflict: String? = nil) async throws(HostError) -> LogAppend {
        let logged: LogAppend
        do { logged = try await log.append(attestation, fencedBy: nil) } catch let error as AttestationLogError {
            if case .conflictingAttestation = error {
                let message = conflict.map { "\($0): \(error.description)" } ?? error.description
                throw HostError(.conflict, code: "conflicting-attestation", message, field: "id")
            }
            throw HostError(.badRequest, code: "invalid-field", error.description)
        } catch {
            throw HostError.internalError("appending to the log: \(error)")
        }
        remember(logged.entry)
        return logged
    }

    /// Gets `input` ordered for hosted instance `id` (`route`), logging a failure (the next drive or tick tries
    /// again), and drives the instance.
    func orderAndDrive(_ input: LogEntry, for id: String) async {
        // Not put to rest before its order record is kept (`InstanceHost+Lifecycle`).
        ordering[id, default: 0] += 1
        defer {
            let count = (ordering[id] ?? 1) - 1
            ordering[id] = count > 0 ? count : nil
        }
        do { try await route(input, to: id) } catch {
            logger.error("cannot order input", metadata: ["instance": "\(id)", "error": "\(error)"])
        }
        startDriving(id)
    }

    /// Gets a logged input of hosted instance `id` ordered: by this node when it elects itself (a single node),
    /// else forwarded to the elected executor (`forward`).
    func route(_ input: LogEntry, to id: String) async throws {
        if case .anchored = seat {
            try await forward(input, to: id)
        } else {
            try await order(input, into: id)
        }
    }
}
