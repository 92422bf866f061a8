import TokenScriptCluster

/// The election as a node sees it when an anchor runs it: the node never names a candidate. It asks the
/// anchor to `elect` (the anchor picks the highest-ranked healthy host and bumps the epoch by
/// compare-and-swap), reads the lease, and renews or releases the lease it holds itself.
///
/// `LeaseAuthority` as the executor needs it: `currentLease` answers nil when the anchor cannot be reached,
/// so an executor that lost the anchor refuses to send (the safe side of fencing).
public struct RemoteElection: LeaseAuthority {
    public let connection: AnchorConnection

    public init(connection: AnchorConnection) {
        self.connection = connection
    }

    /// This node's name, the only holder it may renew or release for.
    public var node: String { connection.signer.name }

    public func currentLease(of instance: String) async -> ExecutorLease? {
        guard !instance.isEmpty else { return nil }
        guard let answer = try? await lease(of: instance), answer.live else { return nil }
        return answer.lease?.record.lease
    }

    /// The instance's lease row, live or not; nil when it was never elected.
    public func record(of instance: String) async throws -> LeaseRecord? {
        guard !instance.isEmpty else { return nil }
        return try await lease(of: instance).lease?.record
    }

    /// Asks the anchor to elect the instance's executor: the current record when its holder is live and
    /// healthy, else a new epoch for the highest-ranked healthy host.
    /// - Throws: `AnchorClientError` 409 `no-healthy-host` when no registered node is healthy.
    public func elect(_ instance: String) async throws -> LeaseRecord {
        let target = "/v1/elections/\(AnchorConnection.segment(instance))"
        let answer = try await connection.send(.POST, target, as: AnchorMessages.LeaseAnswer.self)
        guard let lease = answer.lease else {
            throw AnchorClientError(status: 200, code: "bad-answer", message: "election of \(instance) without a lease")
        }
        return lease.record
    }

    /// Extends this node's live lease by the anchor's lease term.
    /// - Throws: `StaleLeaseError` when the lease moved on, expired or is someone else's; `AnchorClientError`
    ///   `not-this-node` for a `holder` other than this node (a node speaks only for itself).
    public func renew(_ lease: ExecutorLease, for holder: String) async throws -> LeaseRecord {
        try requireSelf(holder)
        let target = "/v1/leases/\(AnchorConnection.segment(lease.instance))/renew"
        let body = AnchorMessages.LeaseClaim(epoch: lease.epoch)
        let answer = try await connection.send(.POST, target, body: body, as: AnchorMessages.LeaseAnswer.self)
        guard let record = answer.lease?.record else {
            throw AnchorClientError(status: 200, code: "bad-answer", message: "renewal of \(lease) without a lease")
        }
        return record
    }

    /// Gives this node's live lease up at once (a graceful shutdown).
    /// - Throws: as `renew`.
    public func release(_ lease: ExecutorLease, for holder: String) async throws {
        try requireSelf(holder)
        let target = "/v1/leases/\(AnchorConnection.segment(lease.instance))/release"
        _ = try await connection.send(
            .POST, target, body: AnchorMessages.LeaseClaim(epoch: lease.epoch), as: AnchorMessages.LeaseAnswer.self)
    }

    private func lease(of instance: String) async throws -> AnchorMessages.LeaseAnswer {
        try await connection.send(
            .GET, "/v1/leases/\(AnchorConnection.segment(instance))", as: AnchorMessages.LeaseAnswer.self)
    }

    private func requireSelf(_ holder: String) throws {
        guard holder == node else {
            throw AnchorClientError(
                status: 0, code: "not-this-node", message: "node \(node) cannot speak for \(holder)", field: "holder")
        }
    }
}
