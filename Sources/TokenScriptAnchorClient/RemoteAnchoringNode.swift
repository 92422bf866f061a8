import TokenScriptEffects

/// The anchoring node over HTTP: `POST /v1/route` hands the executor's call to the anchor, which performs
/// it once with its own transport and signs the outcome with its own key. The executor's process passes the
/// signed statement on and never holds the anchor's key.
public struct RemoteAnchoringNode: AnchoringNode {
    public let connection: AnchorConnection

    public init(connection: AnchorConnection) {
        self.connection = connection
    }

    public func route(_ call: AnchorCall) async throws -> AnchorRouting {
        try await connection.send(
            .POST, "/v1/route", body: AnchorMessages.Call(call), as: AnchorMessages.RoutingAnswer.self
        ).routing
    }

    /// Reports `(instance, journal sequence, state hash)` of the instances this node hosts; the answer lists
    /// the mismatches the anchor recorded as evidence against this node.
    public func report(_ hashes: [AnchorMessages.StateHash]) async throws -> [AnchorMessages.Evidence] {
        try await connection.send(.POST, "/v1/state-hashes", body: hashes, as: AnchorMessages.StateHashAnswer.self)
            .mismatches
    }

    /// Reports the calls this node answered since its last report; answers how many the anchor recorded.
    public func report(served: AnchorMessages.ServedCalls) async throws -> UInt64 {
        try await connection.send(
            .POST, "/v1/served-calls", body: served, as: AnchorMessages.ServedCallsAnswer.self
        ).recorded
    }

    /// Every failure routing the anchor recorded, oldest first.
    public func routings() async throws -> [AnchorMessages.Routing] {
        try await connection.send(.GET, "/v1/routings", as: AnchorMessages.Routings.self).routings
    }

    /// Every member's objective, counters and standing at the anchor's last sweep.
    public func serviceLevels() async throws -> AnchorMessages.ServiceLevels {
        try await connection.send(.GET, "/v1/service-levels", as: AnchorMessages.ServiceLevels.self)
    }

    /// Every state-hash mismatch the anchor recorded, oldest first.
    public func evidence() async throws -> [AnchorMessages.Evidence] {
        try await connection.send(.GET, "/v1/evidence", as: AnchorMessages.EvidenceList.self).evidence
    }
}
