import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptRuntime
import TokenScriptSQLite

extension InstanceHost {
    /// The pseudo-interface a grant must name (or `*`) to read the whole instance or follow its steps: the
    /// state and every attribute, more than any one interface answers.
    public static let wholeInstance = ReadGrant.everyInterface

    /// The instance and the journal position it is at, read consistently: the two change together within one
    /// step, so two equal readings of the head around the instance name the instance's position.
    static func snapshot(of journaled: JournaledInstance) async -> (instance: TokenInstance, position: UInt64) {
        while true {
            let before = await journaled.head.nextSequence
            let instance = await journaled.instance
            if await journaled.head.nextSequence == before { return (instance, before - 1) }
        }
    }

    /// The instance as of its last applied step, without a grant check (for the node itself and the list);
    /// reinstated first when it rests in the store.
    public func view(of id: String) async -> InstanceView? {
        _ = try? await awake(id)
        return currentView(of: id)
    }

    /// `view(of:)` without a suspension: the apply loop keeps each instance's `current` value and position.
    func currentView(of id: String) -> InstanceView? {
        guard let entry = hosted[id] else { return nil }
        return InstanceView(
            entry.current.instance, script: entry.script, position: entry.current.position, holder: entry.holder)
    }

    /// Every hosted instance, sorted by id.
    public func views() async -> [InstanceView] {
        hosted.keys.sorted().compactMap { currentView(of: $0) }
    }

    /// The instance for a reader holding a grant of the holder for the whole instance (`*`). With
    /// `atLeast`, waits up to the node's position wait for that journal position, then answers 409 with the
    /// position reached.
    public func read(_ id: String, grant: String?, grantee: String?, atLeast: UInt64? = nil) async throws(HostError)
        -> InstanceView
    {
        try await requireHosted(id)
        try authorize(id, interface: Self.wholeInstance, grant: grant, grantee: grantee)
        let deadline = ContinuousClock.now + positionWait
        while true {
            guard let view = await view(of: id) else { throw Self.unknown(id) }
            guard let atLeast, view.position < atLeast else { return view }
            guard ContinuousClock.now < deadline else {
                throw HostError(
                    .conflict, code: "position-not-reached",
                    "position \(atLeast) not reached; the instance is at position \(view.position)",
                    field: "atLeast", position: view.position)
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Runs the read-only interface `name` on the current instance, as `dry-run --query` does. The grant is
    /// checked on every call (its signature once per exact grant, `verifiedGrants`); the answer comes from
    /// `interfaceAnswers` when the same interface was asked with the same argument bytes at the same journal
    /// position (an interface is deterministic and read-only), its JSON encoded once.
    public func query(
        _ id: String, interface name: String, arguments: SandboxValue, grant: String?, grantee: String?
    ) async throws(HostError) -> InterfaceAnswer {
        try await requireHosted(id)
        try authorize(id, interface: name, grant: grant, grantee: grantee)
        guard let entry = hosted[id] else { throw Self.unknown(id) }
        let argumentBytes: [UInt8]
        do throws(JSONWriteError) { argumentBytes = try arguments.canonicalJSON() } catch {
            throw HostError(.badRequest, code: "invalid-field", "\(error)", field: "arguments")
        }
        let (instance, position) = (entry.current.instance, entry.current.position)
        let key = InterfaceCacheKey(instance: id, position: position, interface: name, arguments: argumentBytes)
        if let cached = interfaceAnswers.answer(for: key) { return cached }
        do throws(InterfaceQuery.Failure) {
            let result = try await InterfaceQuery.run(
                name, args: arguments, instance: instance, definition: entry.script.definition, runtime: runtime)
            let answer = InterfaceAnswer(
                result: result, stateHash: instance.stateHash, position: position, scriptHash: entry.script.scriptHash)
            interfaceAnswers.insert(answer, for: key)
            return answer
        } catch {
            if case .unknownInterface = error.reason {
                throw HostError(.notFound, code: "unknown-interface", error.description, field: "interface")
            }
            throw HostError(.unprocessable, code: "interface-failed", error.description)
        }
    }

    /// How many interface answers the node holds cached (for `/metrics` and the tests).
    public var cachedInterfaceAnswerCount: Int { interfaceAnswers.count }

    /// The instance's steps from now on, for a reader holding a grant for the whole instance, with a keep-alive
    /// every `keepalive` of quiet. The stream ends with `grantExpired` when the grant does, so a grant shared
    /// for an hour does not become a subscription for ever.
    public func events(
        _ id: String, grant: String?, grantee: String?, keepalive: Duration = .seconds(15)
    ) async throws(HostError) -> AsyncThrowingStream<InstanceStreamItem, any Error> {
        try await requireHosted(id)
        let expiresAt = try authorize(id, interface: Self.wholeInstance, grant: grant, grantee: grantee).expiresAt
        guard let entry = hosted[id] else { throw Self.unknown(id) }
        // Followed: not put to rest while the stream is open (its steps come from this journal handle).
        watchers[id, default: 0] += 1
        let definitionID = entry.script.definition.id
        let updates = entry.journal.updates(after: await entry.instance.head.nextSequence - 1)
        let clock = self.clock
        return AsyncThrowingStream { continuation in
            /// Ends the stream when the grant has expired; true then.
            @Sendable func endedByExpiry() -> Bool {
                guard clock.unixSeconds() >= expiresAt else { return false }
                continuation.yield(.grantExpired)
                continuation.finish()
                return true
            }
            let steps = Task {
                do {
                    for try await sealed in updates {
                        if endedByExpiry() { return }
                        let step = sealed.entry
                        let instance = TokenInstance(canonicalValue: step.instance, definitionID: definitionID)
                        continuation.yield(
                            .step(
                                InstanceEvent(
                                    position: step.sequence, state: instance?.state ?? "", stateHash: step.stateHash,
                                    trigger: step.outcome.trigger)))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            let ticks = Task {
                while (try? await Task.sleep(for: keepalive)) != nil {
                    if endedByExpiry() { return }
                    continuation.yield(.keepalive)
                }
            }
            continuation.onTermination = { _ in
                steps.cancel()
                ticks.cancel()
                Task { await self.unwatch(id) }
            }
        }
    }

    /// An event stream of `id` ended.
    private func unwatch(_ id: String) {
        let count = (watchers[id] ?? 1) - 1
        watchers[id] = count > 0 ? count : nil
    }

    /// Refuses a read whose grant the instance's holder did not give (403, the refusal's code), or an unknown
    /// instance (404).
    @discardableResult
    private func authorize(
        _ id: String, interface: String, grant: String?, grantee: String?
    ) throws(HostError) -> ReadGrant {
        guard let entry = hosted[id] else { throw Self.unknown(id) }
        guard let holder = entry.holderIdentity else {
            throw HostError.internalError("instance \(id) has an unreadable holder \(entry.holder)")
        }
        let time = now
        let request = ReadGrantRequest(
            instance: id, interface: interface, currentHolder: holder, grantee: grantee, now: time)
        guard let grant else { throw Self.forbidden(ReadGrantRefusal(.missing)) }
        let key = GrantCacheKey(grant: grant, instance: id, grantee: grantee)
        let signed: SignedReadGrant
        let kept = verifiedGrants.grant(for: key, now: time)
        if let kept {
            signed = kept
        } else {
            switch ReadGrantVerifier.signed(json: grant) {
            case .success(let checked): signed = checked
            case .failure(let refusal): throw Self.forbidden(refusal)
            }
        }
        switch ReadGrantVerifier.verify(signed, for: request) {
        case .success(let granted):
            // Kept only once a read went through: a grant refused for this read is checked again next time.
            if kept == nil { verifiedGrants.insert(signed, for: key, now: time) }
            return granted
        case .failure(let refusal): throw Self.forbidden(refusal)
        }
    }

    private static func forbidden(_ refusal: ReadGrantRefusal) -> HostError {
        HostError(.forbidden, code: refusal.reason.code, refusal.description, field: refusal.reason.field)
    }

    /// How many verified grants the node keeps, and how many reads skipped the signature check thanks to them.
    public var verifiedGrantStatistics: (count: Int, hits: Int) { (verifiedGrants.count, verifiedGrants.hits) }

    static func unknown(_ id: String) -> HostError {
        HostError(.notFound, code: "unknown-instance", "no instance \(id) on this node")
    }
}
