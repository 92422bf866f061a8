import TokenScriptAttestation
import TokenScriptEffects
import TokenScriptEgress
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime

/// What running a scenario came to: every delivery, the final instance, the cost, the expectations that
/// did not hold, and the snapshot that is compared with the golden file.
public struct ScenarioResult: Sendable {
    public var scenario: String
    /// Per scenario step, its delivery and the effect-outcome deliveries it led to.
    public var steps: [[SimulatedDelivery]]
    public var final: TokenInstance
    public var cost: SimulationCost
    /// Readable lines, `step 2: state: expected rebooked, got rebooking`.
    public var expectationFailures: [String]
    /// The document's issuers whose keys the run replaced (by the scenario's test keys, or the simulated
    /// anchor's), sorted: what the run proves holds for those keys, not the document's.
    public var substitutedIssuers: [String] = []

    /// The golden snapshot: pretty JSON, keys sorted, ending in a newline.
    public var snapshotText: String { PrettyJSON.text(snapshot) + "\n" }

    public var snapshot: SandboxValue {
        .object([
            "scenario": .string(scenario),
            "instance": .string(final.id),
            "steps": .array(
                steps.enumerated().map { index, deliveries in
                    .object(["step": .int(Int64(index + 1)), "deliveries": .array(deliveries.map(\.value))])
                }),
            "final": .object([
                "state": .string(final.state), "attributes": .object(final.attributes),
                "stateHash": .string(final.stateHash),
                "step": .int(Int64(final.step)),
            ]),
            "cost": cost.value,
        ])
    }
}

/// Runs a `Scenario` against a TokenScript: issuer keys replaced by the scenario's test keys, effects
/// run by `Simulation` (the live effect path with scripted answers), journal in memory.
public enum ScenarioRunner {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Signs a step's attestation as one issuer.
    enum Signer {
        case ethereum(EthereumAttestationSigner, SignatureScheme)
        case ed25519(Ed25519AttestationSigner)

        var key: String {
            switch self {
            case .ethereum(let signer, let scheme):
                (try? signer.sign(
                    Attestation(
                        id: "probe", topic: "probe", type: "probe",
                        issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)),
                        issuedAt: 1, payload: .null), scheme: scheme))?.issuer.key ?? ""
            case .ed25519(let signer): signer.issuer.key
            }
        }

        func sign(_ attestation: Attestation) throws -> Attestation {
            switch self {
            case .ethereum(let signer, let scheme): try signer.sign(attestation, scheme: scheme)
            case .ed25519(let signer): try signer.sign(attestation)
            }
        }
    }

    /// `egress`: where the simulated effects may send requests (a refused one shows as refused in the run).
    public static func run(
        _ scenario: Scenario, tokenScript: TokenScript, runtime: any ScriptRuntime, egress: EgressPolicy = .default
    ) async throws(Failure) -> ScenarioResult {
        guard var server = tokenScript.server else {
            throw Failure(description: "the TokenScript has no sl:server extension")
        }
        // Test keys replace the model's issuer keys, by issuer name.
        var signers: [String: Signer] = [:]
        var executorSeed = Simulation.defaultExecutorSeed
        var anchorSeed = Simulation.defaultAnchorSeed
        let anchors = Set(server.effects.compactMap { ExecutorTrust.anchorIssuer(for: $0, in: server) })
        for name in scenario.keys.keys.sorted() {
            let bytes = scenario.keys[name]!
            if name == Simulation.executorIssuerName {
                executorSeed = bytes
                continue
            }
            guard let index = server.issuers.firstIndex(where: { $0.name == name }) else {
                throw Failure(description: "keys.\(name): the TokenScript has no sl:issuer named \(name)")
            }
            let signer: Signer
            do {
                if anchors.contains(name) || server.issuers[index].scheme == .ed25519 {
                    signer = .ed25519(try Ed25519AttestationSigner(seed: bytes))
                    if anchors.contains(name) { anchorSeed = bytes }
                } else {
                    guard case let scheme = server.issuers[index].scheme, scheme != .eas else {
                        throw Failure(
                            description:
                                "keys.\(name): scheme \(server.issuers[index].scheme.rawValue) "
                                + "is not supported in scenarios"
                        )
                    }
                    signer = .ethereum(try EthereumAttestationSigner(privateKey: bytes), scheme)
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(description: "keys.\(name): not a usable key: \(error)")
            }
            server.issuers[index].key = signer.key
            signers[name] = signer
        }
        let executor: Ed25519AttestationSigner
        let anchor: Ed25519AttestationSigner
        do {
            executor = try Ed25519AttestationSigner(seed: executorSeed)
            anchor = try Ed25519AttestationSigner(seed: anchorSeed)
        } catch {
            throw Failure(description: "keys: \(error)")
        }
        server = Simulation.prepare(server, executor: executor, anchor: anchor)
        // Steps may speak as the hosting node: schedule ticks and attribute changes.
        if signers[Simulation.executorIssuerName] == nil { signers[Simulation.executorIssuerName] = .ed25519(executor) }
        let definition: TokenDefinition
        do {
            definition = try TokenDefinition(name: tokenScript.name ?? "", server: server)
        } catch {
            throw Failure(description: error.description)
        }

        let instance: TokenInstance
        do {
            instance = try InitialInstance(state: scenario.initialState, attributes: scenario.initialAttributes)
                .applied(to: definition.newInstance(id: scenario.instance), server: server, path: "initial")
        } catch {
            throw Failure(description: error.description)
        }

        let environment = tokenScript.environment(overrides: scenario.environment)

        var simulation = await Simulation(
            definition: definition, runtime: runtime, environment: environment, executor: executor, anchor: anchor,
            egress: egress,
            responses: scenario.responses, instance: instance)
        var steps: [[SimulatedDelivery]] = []
        var failures: [String] = []
        var time = scenario.start
        for (index, step) in scenario.steps.enumerated() {
            let label = "step \(index + 1)"
            guard let signer = signers[step.issuer] else {
                throw Failure(description: "steps[\(index)].attestation.issuer: no key for \(step.issuer) in keys")
            }
            if let responses = step.responses {
                do {
                    try simulation.transport.append(notation: responses, path: "steps[\(index)].responses")
                } catch {
                    throw Failure(description: error.description)
                }
            }
            let issuedAt = step.issuedAt ?? (index == 0 ? time : time + 60)
            time = issuedAt
            let unsigned = Attestation(
                id: step.id ?? "\(scenario.instance)-\(index + 1)", topic: step.topic, type: step.type,
                issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)), issuedAt: issuedAt,
                expiresAt: step.expiresAt,
                payload: step.payload)
            let deliveries: [SimulatedDelivery]
            do {
                deliveries = try await simulation.deliver(try signer.sign(unsigned), now: step.now ?? issuedAt)
            } catch {
                throw Failure(description: "\(label): \(error)")
            }
            steps.append(deliveries)
            if let expect = step.expect {
                let instance = await simulation.current
                let observed = await observe(expect, instance: instance, definition: definition, runtime: runtime)
                failures += check(expect, deliveries: deliveries, instance: instance, label: label, observed: observed)
            }
        }
        let final = await simulation.current
        if let expect = scenario.expect {
            let observed = await observe(expect, instance: final, definition: definition, runtime: runtime)
            failures += check(
                expect, deliveries: steps.flatMap { $0 }, instance: final, label: "end", observed: observed)
        }
        var result = ScenarioResult(
            scenario: scenario.name, steps: steps, final: final, cost: simulation.cost,
            expectationFailures: failures)
        // Only keys that differ from the document's are substitutions worth a notice (a project made by
        // `tokenscript init` signs with the very key its document trusts).
        func text(_ key: String) -> String { (key.hasPrefix("0x") ? String(key.dropFirst(2)) : key).lowercased() }
        let documentKeys = Dictionary(
            (tokenScript.server?.issuers ?? []).map { ($0.name, text($0.key)) }, uniquingKeysWith: { first, _ in first }
        )
        var substituted = Set<String>()
        for (name, signer) in signers where documentKeys[name].map({ $0 != text(signer.key) }) == true {
            substituted.insert(name)
        }
        for name in anchors where documentKeys[name].map({ $0 != text(anchor.issuer.key) }) == true {
            substituted.insert(name)
        }
        result.substitutedIssuers = substituted.sorted()
        return result
    }

    /// The expectation's fields that do not hold, as readable lines.
    static func check(
        _ expect: Scenario.Expectation, deliveries: [SimulatedDelivery], instance: TokenInstance, label: String,
        observed: Observed = Observed()
    ) -> [String] {
        var failures: [String] = []
        func differ(_ field: String, _ expected: String, _ actual: String) {
            if expected != actual { failures.append("\(label): \(field): expected \(expected), got \(actual)") }
        }
        if let state = expect.state { differ("state", state, instance.state) }
        if let trigger = expect.trigger { differ("trigger", trigger, deliveries.first?.disposition.trigger ?? "none") }
        if let outcome = expect.outcome { differ("outcome", outcome, deliveries.first?.outcomeKind ?? "none") }
        if let events = expect.events {
            let actual = deliveries.flatMap(\.events)
            let matches =
                events.count == actual.count
                && zip(events, actual).allSatisfy { expected, event in
                    switch expected {
                    case .string(let type): return type == event.type
                    default:
                        guard let fields = expected.objectMembers else { return false }
                        return fields["type"] == .string(event.type) && (fields["data"] ?? .null) == event.data
                    }
                }
            if !matches {
                differ(
                    "events", SandboxValue.array(events).jsonText,
                    SandboxValue.array(actual.map { .object(["type": .string($0.type), "data": $0.data]) }).jsonText)
            }
        }
        if let requests = expect.requests {
            let actual = deliveries.flatMap(\.calls).map(\.request)
            if requests.count != actual.count {
                failures.append("\(label): requests: expected \(requests.count), got \(actual.count)")
            } else {
                for (index, (expected, request)) in zip(requests, actual).enumerated() {
                    for problem in requestProblems(expected, request) {
                        failures.append("\(label): requests[\(index)].\(problem)")
                    }
                }
            }
        }
        if let outcomes = expect.outcomes {
            let actual = deliveries.flatMap(\.calls).flatMap(\.outcomes).map(\.type)
            differ("outcomes", outcomes.joined(separator: ", "), actual.joined(separator: ", "))
        }
        if let attributes = expect.attributes {
            if let problem = observed.computedFailure { failures.append("\(label): computed attributes: \(problem)") }
            for name in attributes.keys.sorted() {
                let actual = instance.attributes[name] ?? observed.computed[name]
                differ("attributes.\(name)", attributes[name]!.jsonText, actual?.jsonText ?? "absent")
            }
        }
        return failures + queryFailures(expect, observed: observed, label: label)
    }

    static func requestProblems(_ expected: SandboxValue, _ request: BuiltEffectRequest) -> [String] {
        guard let fields = expected.objectMembers else { return ["expected {method, url, headers, body}"] }
        var problems: [String] = []
        if case .string(let method)? = fields["method"], method != request.method {
            problems.append("method: expected \(method), got \(request.method)")
        }
        if case .string(let url)? = fields["url"], url != request.url {
            problems.append("url: expected \(url), got \(request.url)")
        }
        if let headers = fields["headers"]?.objectMembers {
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
                let actual = request.headers[name.string]
                if value != actual.map(SandboxValue.string) ?? .null {
                    problems.append("headers.\(name): expected \(value.jsonText), got \(actual ?? "absent")")
                }
            }
        }
        if let body = fields["body"] {
            let actual = request.body
            let same: Bool
            switch body {
            case .string(let text): same = text == actual
            case .null: same = actual == nil
            default: same = actual.flatMap { try? SandboxValue.parseJSON($0) } == body
            }
            if !same { problems.append("body: expected \(body.jsonText), got \(actual ?? "none")") }
        }
        return problems
    }
}
