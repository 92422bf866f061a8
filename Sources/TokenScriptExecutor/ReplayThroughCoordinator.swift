import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptRuntime

/// Replay on a node's own delivery path: every journaled input goes through `EffectCoordinator.receive`, as
/// a replica applies an input from the log, and the coordinator's executor refuses to execute anything.
///
/// A journal already holds each effect's outcome as a later input, so a replay that sent a request would be
/// a bug, and one that reached an API would repeat a booking: the transport here answers every attempt with
/// `refused` and counts it, and a replay that tried reports `unusable` naming the effect. The requests are
/// still built (their `sl:request` Lua runs in the runtime), so a request that no longer builds shows up.
public enum ReplayThroughCoordinator {
    /// A `Replayer` whose feed is an `EffectCoordinator` over the replayed instance.
    ///
    /// `environment`: the TokenScript's `ts:meta/ts:env` values (with overrides), as the node that wrote the
    /// journal had them.
    public static func replayer(
        definition: TokenDefinition, runtime: any ScriptRuntime, environment: [String: String],
        limits: SandboxLimits = .init(), transition: TransitionEnvironment = .standard
    ) -> Replayer {
        Replayer(definition: definition, runtime: runtime, limits: limits, environment: transition) { instance in
            let transport = RefusingEffectTransport()
            let leases = InMemoryLeaseAuthority()
            let lease = leases.acquire(instance.store.header.instanceID)
            // Never used to sign: the coordinator signs outcomes only of calls it executed, and it executes none.
            let identity = try! Ed25519AttestationSigner(seed: Array(repeating: 0x52, count: 32))
            let coordinator = await EffectCoordinator(
                instance: instance, identity: identity, lease: lease,
                executor: EffectExecutor(transport: transport, leases: leases), environment: environment,
                runtime: runtime, limits: limits)
            return { input throws(EngineError) in
                _ = try await coordinator.receive(input.attestation, now: input.acceptedAt)
                if let effect = transport.attempted.first {
                    throw EngineError(.replayExecutedEffect(effect: effect))
                }
            }
        }
    }
}
