import Crypto
import Foundation
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSandbox

/// What bounds the engine's figures, measured in the same run: the bare sandbox round trip, the signature check.
extension EngineBenchmark {
    // MARK: - What bounds it

    /// The engine's own transition prelude: the bare sandbox side runs exactly the Lua the engine runs for a tick.
    static let prelude = TransitionProgram.prelude

    /// (e) The sandbox executions the engine would ask for, built beforehand (the initial attributes, tick `n`'s
    /// event, the same seed derivation's shape and the signed time), so only `SandboxPool.run` is timed.
    func bareExecutions(_ ticks: [Attestation]) throws -> [SandboxExecution] {
        guard let trigger = definition.server.triggers.first(where: { $0.name == "tick" }), case .lua(let source) = trigger.transition
        else { throw BenchmarkError("\(options.tokenScript) has no Lua trigger named tick") }
        let computed: SandboxValue = .array(
            definition.server.computed.map { .array([.string($0.name), .string($0.lua.chunk(binding: ComputedAttribute.parameters))]) })
        let instance = definition.newInstance(id: Self.singleInstanceID)
        return ticks.enumerated().map { index, attestation in
            let event: SandboxValue = .object([
                "topic": .string(attestation.topic), "type": .string(attestation.type), "issuer": .string("meter"),
                "time": .int(Int64(attestation.issuedAt)), "data": SandboxValue(attestation.payload),
            ])
            let input: SandboxValue = .object([
                "trigger": .string(trigger.name), "transition": .string(source.chunk(binding: Transition.parameters)),
                "computed": computed, "state": .string(instance.state), "event": event,
                "attributes": .object(instance.attributes),
            ])
            return SandboxExecution(
                source: Self.prelude, input: input, limits: SandboxLimits(),
                mode: .deterministic(seed: UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15, logicalTime: Int64(attestation.issuedAt)),
                hostFunctions: [.input])
        }
    }

    func bareRun(_ executions: [SandboxExecution]) async throws -> StepRun {
        var samples: [Double] = []
        samples.reserveCapacity(executions.count)
        var results: [SandboxResult] = []
        results.reserveCapacity(executions.count)
        let start = clock.now
        for execution in executions {
            let stepStart = clock.now
            let result = await pool.run(execution)
            samples.append((clock.now - stepStart).seconds)
            results.append(result)
        }
        let total = (clock.now - start).seconds
        try checkBare(results)
        return StepRun(samples: samples, total: total, finalStateHash: "", finalCount: 0)
    }

    func checkBare(_ results: [SandboxResult]) throws {
        for result in results {
            guard result.status == .ok, case .object(let members)? = result.value, members["attributes"] != nil else {
                throw BenchmarkError("a bare sandbox run ended \(result.status.rawValue): \(result.message ?? result.value?.jsonText ?? "")")
            }
        }
    }

    /// (e) `AttestationVerifier.verify` (shape, canonical signing bytes, Ed25519, trust, history, time), one at a time.
    func verifyRun(_ attestations: [Attestation], count: Int) throws -> [Double] {
        let empty = SeenAttestations()
        var samples: [Double] = []
        samples.reserveCapacity(count)
        var failures = 0
        for index in 0..<count {
            let attestation = attestations[index % attestations.count]
            let start = clock.now
            let result = AttestationVerifier.verify(attestation, trust: definition.trust, now: now, seen: empty)
            samples.append((clock.now - start).seconds)
            if case .failure = result { failures += 1 }
        }
        guard failures == 0 else { throw BenchmarkError("\(failures) of \(count) attestations failed verification") }
        return samples
    }

    /// (e) The Ed25519 check alone: swift-crypto's `isValidSignature` over signing bytes computed beforehand.
    func ed25519Run(_ prepared: [(signature: [UInt8], bytes: [UInt8])], count: Int) throws -> [Double] {
        guard case .ed25519(let raw) = meter.issuer else { throw BenchmarkError("the meter is not an Ed25519 issuer") }
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: raw)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        var failures = 0
        for index in 0..<count {
            let item = prepared[index % prepared.count]
            let start = clock.now
            let valid = key.isValidSignature(item.signature, for: item.bytes)
            samples.append((clock.now - start).seconds)
            if !valid { failures += 1 }
        }
        guard failures == 0 else { throw BenchmarkError("\(failures) of \(count) Ed25519 signatures did not verify") }
        return samples
    }
}
