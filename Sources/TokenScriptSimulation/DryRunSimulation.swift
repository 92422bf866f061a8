import TokenScriptAttestation
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

/// The dry run behind `tokenscript dry-run`: what a TokenScript's server logic would do with some
/// attestations, on a throwaway instance, with no request ever sent.
///
/// Attestations are verified against the script's own `sl:trust` (so they must be signed by its issuers).
/// Effects run through `Simulation` with the default executor key trusted for the effects' outcome topics
/// and the default anchor key in place of the anchoring node's (so real anchor-signed attestations in the
/// input are refused).
public enum DryRunSimulation {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// What the dry run came to.
    public struct Result: Sendable {
        /// Every delivery, with the input line of the attestation that started it (nil for effect outcomes).
        public var deliveries: [(line: Int?, delivery: SimulatedDelivery)]
        public var cost: SimulationCost
        public var final: TokenInstance
        /// `sl:interface` answers on the final instance, in the order asked.
        public var answers: [(name: String, answer: Swift.Result<SandboxValue, InterfaceQuery.Failure>)]
    }

    /// Runs `attestations` (with their input line numbers) through a fresh instance `instanceID`.
    /// `now`: the receiving node's clock for every attestation; nil takes each attestation's `issuedAt`.
    public static func run(
        _ tokenScript: TokenScript, attestations: [(line: Int, attestation: Attestation)], responses: ResponseScript,
        environmentOverrides: [String: String], instanceID: String, now: UInt64?, queries: [String],
        egress: EgressPolicy, runtime: any ScriptRuntime
    ) async throws -> Result {
        guard let server = tokenScript.server else {
            throw Failure(description: "the TokenScript has no sl:server extension")
        }
        let executor = try Ed25519AttestationSigner(seed: Simulation.defaultExecutorSeed)
        let anchor = try Ed25519AttestationSigner(seed: Simulation.defaultAnchorSeed)
        let definition: TokenDefinition
        do {
            definition = try TokenDefinition(
                name: tokenScript.name ?? "", server: Simulation.prepare(server, executor: executor, anchor: anchor))
        } catch {
            throw Failure(description: error.description)
        }
        let environment = tokenScript.environment(overrides: environmentOverrides)

        var simulation = await Simulation(
            definition: definition, runtime: runtime, environment: environment, executor: executor, anchor: anchor,
            egress: egress, responses: responses, instance: definition.newInstance(id: instanceID))
        var result = Result(deliveries: [], cost: SimulationCost(), final: await simulation.current, answers: [])
        for (line, attestation) in attestations {
            let deliveries = try await simulation.deliver(attestation, now: now ?? attestation.issuedAt)
            for (index, delivery) in deliveries.enumerated() {
                result.deliveries.append((index == 0 ? line : nil, delivery))
            }
        }
        result.final = await simulation.current
        result.cost = simulation.cost
        for name in queries {
            do {
                let value = try await InterfaceQuery.run(
                    name, instance: result.final, definition: definition, runtime: runtime)
                result.answers.append((name, .success(value)))
            } catch {
                result.answers.append((name, .failure(error)))
            }
        }
        return result
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
