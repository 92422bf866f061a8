import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSQLite

/// Many instances created at once, straight into the store at rest (pre-issued tickets, insurance policies
/// sold but not yet active, a bulk import): nothing of them is in memory until their first request or input
/// (`InstanceHost+Lifecycle`). Each gets what `create` writes — its creation record in the log, its journal's
/// header, its row — but no lease (its first ordered input elects), and the rows of a batch share one
/// transaction.
extension InstanceHost {
    /// A new instance to create at rest: its id and attributes.
    public struct RestingCreation: Sendable {
        public var id: String
        public var attributes: [String: SandboxValue]

        public init(id: String, attributes: [String: SandboxValue]) {
            self.id = id
            self.attributes = attributes
        }
    }

    /// Creates `instances` of `scriptName` held by `holder`, at rest. Every instance is checked before
    /// anything is written.
    /// - Throws: `HostError` 400 naming the instance and field, 404 for an unknown script, 409 when the
    ///   script's initial state is not dormant, the node is part of a network, or an id exists already (the
    ///   instances before it in the batch stay created).
    public func createResting(script scriptName: String, holder: String, instances: [RestingCreation])
        async throws(HostError)
    {
        guard let script = script(named: scriptName) else {
            throw HostError(.notFound, code: "unknown-script", "no script named \(scriptName)", field: "script")
        }
        guard case .selfElected = seat else {
            throw HostError(
                .conflict, code: "not-single-node", "instances are created at rest on a single node only")
        }
        let definition = script.definition
        guard definition.server.state(named: definition.server.initialState)?.lifecycle == .dormant else {
            throw HostError(
                .conflict, code: "not-dormant",
                "\(scriptName) starts in \(definition.server.initialState), which is not dormant", field: "script")
        }
        try Self.checkHolder(holder)
        var created: [TokenInstance] = []
        for (index, creation) in instances.enumerated() {
            do throws(HostError) {
                created.append(try Self.newInstance(of: script, id: creation.id, attributes: creation.attributes))
            } catch {
                var refusal = error
                refusal.field = "instances[\(index)]" + (error.field.map { ".\($0)" } ?? "")
                throw refusal
            }
        }
        let time = now
        do {
            for batch in stride(from: 0, to: created.count, by: 1_000).map({
                created[$0..<Swift.min($0 + 1_000, created.count)]
            }) {
                try await logCreations(Array(batch), of: script, holder: holder, at: time)
                try await lifecycle.storeResting(
                    batch.map { instance in
                        RestingInstance(
                            id: instance.id, definitionID: instance.definitionID, step: instance.step,
                            canonical: instance.canonicalJSON,
                            journalHeader: JournalHeader(for: instance, signer: journalSigner).line,
                            patterns: InstanceSubscription(definition: definition, instance: instance).patterns)
                    }, since: time)
                restingCount += batch.count
            }
        } catch let error as HostError {
            throw error
        } catch let error as InstanceStoreError {
            throw HostError(.conflict, code: "instance-exists", "\(error)", field: "id")
        } catch let error as AttestationLogError {
            // A creation record with this id and other content (another creation of the same id).
            throw HostError(.conflict, code: "instance-exists", error.description, field: "id")
        } catch {
            throw HostError.internalError("creating instances at rest: \(error)")
        }
    }

    /// Appends the creation records of `instances` concurrently (they share the store's group commits); an id
    /// whose record is not the first of its topic exists already.
    private func logCreations(_ instances: [TokenInstance], of script: HostedScript, holder: String, at time: UInt64)
        async throws
    {
        let records = try instances.map { instance in
            try signer.sign(
                InstanceCreation(
                    script: script.name, scriptHash: script.scriptHash, holder: holder, initial: instance.canonicalJSON
                ).attestation(instance: instance.id, issuer: signer.issuer, issuedAt: time))
        }
        let log = self.log
        try await withThrowingTaskGroup(of: Void.self) { group in
            for record in records {
                group.addTask {
                    let logged = try await log.append(record, fencedBy: nil)
                    guard logged.entry.position == 1, !logged.wasLoggedBefore else {
                        throw HostError(
                            .conflict, code: "instance-exists",
                            "instance \(record.topic.dropFirst("instance/".count)) exists already", field: "id")
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
