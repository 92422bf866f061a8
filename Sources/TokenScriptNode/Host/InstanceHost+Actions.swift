import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine

extension InstanceHost {
    /// Invokes `action` on instance `id` for its holder: `request` is the holder's signed request
    /// (`ActionInvocation`). Checked against the holder given at creation, then signed by this node as the
    /// invocation, logged, and ordered into the instance like any input: at once when this node executes it,
    /// else left for the elected executor (a host leaves an inbox pointer, as `forward` does; a node of the
    /// network that does not host the instance reads the holder from the creation record in the log and leaves
    /// the pointer itself). Logged once per request: a retry answers `alreadyLogged`; the same request sent to
    /// another node is that node's 409 (its invocation carries another signature).
    public func invoke(_ action: String, on id: String, request: Attestation) async throws(HostError)
        -> SubmittedAttestation
    {
        let (script, holderText) = try await actionTarget(id)
        let known = script.definition.server.triggers.contains { trigger in
            if case .action(let name) = trigger.event { name == action } else { false }
        }
        guard known else {
            throw HostError(
                .notFound, code: "unknown-action", "\(script.name) has no sl:on-action named \(action)",
                field: "action")
        }
        guard let holder = GrantHolder(holderText) else {
            throw HostError.internalError("instance \(id) has an unreadable holder \(holderText)")
        }
        let invocation: Attestation
        switch ActionInvocation.invocation(of: request, instance: id, action: action, holder: holder, now: now) {
        case .failure(let refusal):
            switch refusal.reason {
            case .notHolder: throw HostError(.forbidden, code: "not-holder", refusal.description, field: "issuer")
            case .wrongTopic, .wrongAction:
                throw HostError(.badRequest, code: "invalid-field", refusal.description, field: refusal.field)
            case .rejected(let rejection):
                throw HostError(.unprocessable, code: rejection.reason.code, refusal.description, field: refusal.field)
            }
        case .success(let unsigned):
            do { invocation = try signer.sign(unsigned) } catch {
                throw HostError.internalError("signing the invocation: \(error)")
            }
        }
        let logged = try await appendInput(invocation, conflict: "this request was accepted already, by another node")
        do {
            if hosted[id] == nil {
                try await leaveInInbox(logged.entry, for: id)
                await nudgeExecutor(of: id)
            } else {
                try await route(logged.entry, to: id)
            }
        } catch {
            // Logged, so not lost: a retry of the same request orders it (the append answers alreadyLogged).
            throw HostError.internalError("the invocation is logged but could not be ordered yet: \(error)")
        }
        startDriving(id)
        return SubmittedAttestation(
            topic: logged.entry.topic, position: logged.entry.position, alreadyLogged: logged.wasLoggedBefore,
            instances: [id])
    }

    /// Network, for an action accepted by a node that does not host the instance: asks the anchor to elect its
    /// executor and that node to wake it, so the pointer left in its inbox is ordered even if every host holds
    /// the instance at rest. A failure is logged: the next input, or any host's tick, asks again.
    private func nudgeExecutor(of id: String) async {
        guard case .anchored(let network) = seat else { return }
        do {
            if let holder = try await network.election.elect(id).holder { nudge(holder, about: id) }
        } catch {
            logger.warning("cannot ask the anchor to elect", metadata: ["instance": "\(id)", "error": "\(error)"])
        }
    }

    /// The script and holder of `id`: from the hosted instance, or (a network node that does not host it) from
    /// its creation record in the log.
    private func actionTarget(_ id: String) async throws(HostError) -> (HostedScript, String) {
        if try await awake(id), let entry = hosted[id] { return (entry.script, entry.holder) }
        guard case .anchored = seat, Self.isInstanceID(id) else {
            try await requireHosted(id)
            throw Self.unknown(id)
        }
        let creation: LogEntry?
        do { creation = try await log.entry(topic: InstanceCreation.topic(of: id), position: 1) } catch {
            throw HostError.internalError("reading the creation record of \(id): \(error)")
        }
        guard let creation, let record = InstanceCreation(creation.attestation),
            let script = script(named: record.script)
        else { throw Self.unknown(id) }
        return (script, record.holder)
    }
}
