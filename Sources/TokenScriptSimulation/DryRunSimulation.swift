import TokenScriptAttestation
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

/// The dry run behind `tokenscript dry-run`: what a TokenScript's server logic would do with some
/// attestations, on a throwaway instance, with no request ever sent.
///
/// Attestations are verified against the script's own `sl:trust` (so they must be signed by its issuers).
/// Effects run through `Simulation`. The hosting node (`Setup.nodeSeed`) is trusted, as `ExecutorTrust.prepare`
/// trusts a live node, for the effects' outcome topics, `schedule/*` and `attribute/*`; it signs the effect
/// outcomes, the schedule ticks of `Setup.advance` (`ScheduleTicker`) and the journal. The anchoring node is
/// simulated with the default anchor key in place of the document's (so real anchor-signed attestations in the
/// input are refused).
public enum DryRunSimulation {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        /// Whether an input other than the TokenScript is at fault (`Setup.initial`), so the message names it.
        public var isInputProblem = false
    }

    /// One `sl:interface` call: its name and arguments (an object).
    public struct Query: Sendable, Hashable {
        public var name: String
        public var args: SandboxValue

        public init(name: String, args: SandboxValue = .object([:])) {
            self.name = name
            self.args = args
        }
    }

    /// What the dry run starts from and does besides delivering the attestations.
    public struct Setup: Sendable {
        public var responses = ResponseScript()
        public var environmentOverrides: [String: String] = [:]
        public var instanceID = "dry-run"
        /// The receiving node's clock for every attestation; nil takes each attestation's `issuedAt`.
        public var now: UInt64?
        /// Where the instance starts instead of the document's initial state.
        public var initial: InitialInstance?
        /// What errors in `initial` are prefixed with (its file, say).
        public var initialSource = "initial"
        /// Clock points after the attestations; schedules due on the way fire at their due times.
        public var advance: [ClockAdvance] = []
        /// The clock before the first advance when no attestation set it (`now`, else this).
        public var start: UInt64 = 0
        /// The most schedule ticks the advance may sign.
        public var maximumTicks = ScheduleTicker.maximumTicks
        public var queries: [Query] = []
        /// The hosting node's Ed25519 seed (32 bytes).
        public var nodeSeed: [UInt8]
        public var egress: EgressPolicy = .default

        public init(nodeSeed: [UInt8]) { self.nodeSeed = nodeSeed }
    }

    /// What the dry run came to.
    public struct Result: Sendable {
        /// Every delivery, with the input line of the attestation that started it (nil for effect outcomes
        /// and schedule ticks).
        public var deliveries: [(line: Int?, delivery: SimulatedDelivery)]
        public var cost: SimulationCost
        public var final: TokenInstance
        /// The final `sl:computed` attributes, or why they could not be computed.
        public var computed: Swift.Result<[String: SandboxValue], InterfaceQuery.Failure>
        /// `sl:interface` answers on the final instance, in the order asked.
        public var answers: [(query: Query, answer: Swift.Result<SandboxValue, InterfaceQuery.Failure>)]
        /// The run's journal, signed by the hosting node.
        public var journal: Journal
        /// The clock at the end.
        public var clock: UInt64
    }

    /// Runs `attestations` (with their input line numbers) through a fresh instance, then advances the clock.
    public static func run(
        _ tokenScript: TokenScript, attestations: [(line: Int, attestation: Attestation)], setup: Setup,
        runtime: any ScriptRuntime
    ) async throws -> Result {
        guard let server = tokenScript.server else {
            throw Failure(description: "the TokenScript has no sl:server extension")
        }
        let node: Ed25519AttestationSigner
        let anchor: Ed25519AttestationSigner
        let journalSigner: JournalSigner
        do {
            node = try Ed25519AttestationSigner(seed: setup.nodeSeed)
            anchor = try Ed25519AttestationSigner(seed: Simulation.defaultAnchorSeed)
            journalSigner = try JournalSigner(seed: setup.nodeSeed)
        } catch {
            throw Failure(description: "the node key is not an Ed25519 seed: \(error)")
        }
        let definition: TokenDefinition
        do {
            definition = try TokenDefinition(
                name: tokenScript.name ?? "", server: Simulation.prepare(server, executor: node, anchor: anchor))
        } catch {
            throw Failure(description: error.description)
        }
        let environment = tokenScript.environment(overrides: setup.environmentOverrides)
        var instance = definition.newInstance(id: setup.instanceID)
        if let initial = setup.initial {
            do {
                instance = try initial.applied(to: instance, server: definition.server, path: "")
            } catch {
                throw Failure(description: "\(setup.initialSource): \(error.description)", isInputProblem: true)
            }
        }
        var simulation = await Simulation(
            definition: definition, runtime: runtime, environment: environment, executor: node, anchor: anchor,
            egress: setup.egress, responses: setup.responses, instance: instance, journalSigner: journalSigner)
        var deliveries: [(line: Int?, delivery: SimulatedDelivery)] = []
        var ticker = ScheduleTicker(
            now: setup.now ?? setup.start, state: instance.state, node: node, maximumTicks: setup.maximumTicks)
        for (line, attestation) in attestations {
            let delivered = try await simulation.deliver(attestation, now: setup.now ?? attestation.issuedAt)
            ticker.observe(delivered)
            for (index, delivery) in delivered.enumerated() { deliveries.append((index == 0 ? line : nil, delivery)) }
        }
        for advance in setup.advance {
            let target = ticker.target(of: advance)
            for delivery in try await ticker.advance(&simulation, to: target) { deliveries.append((nil, delivery)) }
        }
        let final = await simulation.current
        var answers: [(query: Query, answer: Swift.Result<SandboxValue, InterfaceQuery.Failure>)] = []
        for query in setup.queries {
            do {
                let value = try await InterfaceQuery.run(
                    query.name, args: query.args, instance: final, definition: definition, runtime: runtime)
                answers.append((query, .success(value)))
            } catch {
                answers.append((query, .failure(error)))
            }
        }
        let computed: Swift.Result<[String: SandboxValue], InterfaceQuery.Failure>
        do {
            computed = .success(
                try await ComputedAttributeValues.run(instance: final, definition: definition, runtime: runtime))
        } catch {
            computed = .failure(error)
        }
        return Result(
            deliveries: deliveries, cost: simulation.cost, final: final, computed: computed, answers: answers,
            journal: try await simulation.journal, clock: ticker.now)
    }
}

extension ResponseScript {
    /// A `--responses` file's JSON: `{"<effect>": [responses]}`, or a scenario (its top-level and per-step
    /// `responses`, in order). `path` names the file in errors.
    public init(responsesFile value: SandboxValue, path: String) throws(ScriptedResponse.Invalid) {
        guard case .object(let members) = value, members["steps"] != nil || members["script"] != nil else {
            try self.init(notation: value, path: path)
            return
        }
        self.init()
        if let top = members["responses"] { try append(notation: top, path: "\(path): responses") }
        if case .array(let steps)? = members["steps"] {
            for (index, step) in steps.enumerated() {
                if case .object(let fields) = step, let responses = fields["responses"] {
                    try append(notation: responses, path: "\(path): steps[\(index)].responses")
                }
            }
        }
    }
}
