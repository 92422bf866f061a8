import TokenScriptRuntime

/// What a successful replay verified.
public struct ReplayReport: Sendable, Hashable {
    public var instanceID: String
    /// The definition the journal was written with, and the one replayed; they may differ (an edited
    /// TokenScript), in which case a clean replay shows the edit did not change any journaled step.
    public var journaledDefinitionID: String
    public var replayedDefinitionID: String
    /// Steps re-run, every one with the journaled outcome and state hash.
    public var stepsVerified: Int
    public var finalStateHash: String
}

/// What replaying one journal came to: a value, never a thrown error, so many journals check in one run.
public enum ReplayResult: Sendable, Hashable {
    /// Every step reproduced.
    case replayed(ReplayReport)
    /// A step differs from the journal: the logic is not a function of its journaled inputs (or changed).
    case diverged(NonDeterminismError)
    /// The replay could not finish for a reason that is not the journal's (a worker crash, a wall-clock
    /// limit): nothing is known about the steps after it.
    case unusable(EngineError)
}

/// Re-runs journals through the production engine and checks every step against the journal.
///
/// Each journaled input is applied at its journaled `receivedAt` to a `JournaledInstance` (the node's own
/// delivery path: verification against the instance's history, trigger choice, the transition in the
/// runtime), whose store is a `ReplayJournalStore` comparing every appended entry with the recorded one.
/// The journal's integrity (chain, snapshots hashing to their state hashes, signatures) was checked when it
/// was read (`Journal.init(bytes:)`); replay checks that the steps are what the logic computes.
///
/// What this proves and what it cannot: transitions run in deterministic mode, where `os.time` is the
/// event's signed time, `math.random` is seeded from (instance, step) and `pairs` iterates in a fixed
/// order, so a script that "uses the wall clock" or "iterates unordered" gets the same answers on replay
/// and is *not* non-deterministic here; the sandbox removes those sources rather than replay detecting
/// them. Replay catches what can still change a step: an edited transition, a different definition, a
/// different seed or clock (`TransitionEnvironment`), or a runtime run outside deterministic mode.
public struct Replayer: Sendable {
    /// Applies one journaled input to the instance being replayed, the way a node would.
    public typealias Feed = @Sendable (AcceptedInput) async throws(EngineError) -> Void
    /// Makes the feed of one replay, given the instance it delivers to: a node's delivery path built over
    /// that instance (the executor module's refuses to execute effects), or by default `apply` itself.
    public typealias FeedMaker = @Sendable (JournaledInstance) async -> Feed

    public let definition: TokenDefinition
    public let runtime: any ScriptRuntime
    public var limits: SandboxLimits
    public var environment: TransitionEnvironment
    public let makeFeed: FeedMaker
    /// The instance a journal starts from, by instance id, when not the definition's new instance (a dry run
    /// started from a given state); nil: the definition's.
    public var initialInstance: (@Sendable (_ id: String) -> TokenInstance)?

    public init(
        definition: TokenDefinition, runtime: any ScriptRuntime, limits: SandboxLimits = .init(),
        environment: TransitionEnvironment = .standard,
        feed makeFeed: @escaping FeedMaker = { instance in
            { input throws(EngineError) in try await instance.apply(input) }
        }
    ) {
        self.definition = definition
        self.runtime = runtime
        self.limits = limits
        self.environment = environment
        self.makeFeed = makeFeed
    }

    /// Replays each journal in turn; one result per journal, in order.
    public func replay(_ journals: [Journal]) async -> [ReplayResult] {
        var results: [ReplayResult] = []
        for journal in journals { results.append(await replay(journal)) }
        return results
    }

    /// Replays one journal from its initial state to its last step.
    public func replay(_ journal: Journal) async -> ReplayResult {
        let machine = TokenStateMachine(
            definition: definition, runtime: runtime, limits: limits, environment: environment)
        let initial = initialInstance?(journal.instanceID) ?? definition.newInstance(id: journal.instanceID)
        if initial.stateHash != journal.initialStateHash {
            return .diverged(
                NonDeterminismError(
                    sequence: 0, attestationID: "", trigger: nil,
                    differingFields: [
                        "stateHash": .init(journaled: journal.initialStateHash, replayed: initial.stateHash)
                    ]))
        }
        do throws(EngineError) {
            let instance = try await JournaledInstance(
                machine: machine, store: ReplayJournalStore(recording: journal), initial: initial)
            let feed = await makeFeed(instance)
            for entry in journal.entries { try await feed(entry.input) }
            return .replayed(
                ReplayReport(
                    instanceID: journal.instanceID, journaledDefinitionID: journal.definitionID,
                    replayedDefinitionID: definition.id, stepsVerified: journal.entries.count,
                    finalStateHash: await instance.instance.stateHash))
        } catch {
            if case .journalStore(let stored) = error.reason, case .diverged(let divergence) = stored.reason {
                return .diverged(divergence)
            }
            return .unusable(error)
        }
    }
}

/// Replay of one journal as a throwing call, for callers that stop at the first problem.
public enum Replay {
    /// The report, or the `NonDeterminismError` of the first diverging step, or the `EngineError` that
    /// stopped the replay.
    public static func run(
        _ journal: Journal, definition: TokenDefinition, runtime: any ScriptRuntime, limits: SandboxLimits = .init(),
        environment: TransitionEnvironment = .standard
    ) async throws -> ReplayReport {
        let replayer = Replayer(definition: definition, runtime: runtime, limits: limits, environment: environment)
        switch await replayer.replay(journal) {
        case .replayed(let report): return report
        case .diverged(let error): throw error
        case .unusable(let error): throw error
        }
    }
}
