import Dispatch
import Foundation
import TokenScriptArithmetic
import TokenScriptDocument
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC
import TokenScriptModel

/// The operations the eval benchmark times, one call each.
extension EvalBenchmark {
    // MARK: - The measured operations

    /// One evaluation of all the token's attributes; checked after the clock stops.
    func timedEvaluation(
        _ evaluator: AttributeEvaluator, through counter: CountingChainClient, cold: Bool, expectedCalls: Int?
    ) async throws -> (seconds: Double, report: EvaluationReport, calls: Int) {
        let before = counter.callCount
        let start = clock.now
        let report = await evaluator.evaluate(context, attributes: names)
        let elapsed = (clock.now - start).seconds
        let calls = counter.callCount - before
        try check(report, cold: cold)
        if let expectedCalls, calls != expectedCalls {
            throw BenchmarkError("a \(cold ? "cold" : "warm") evaluation made \(calls) eth_calls, not \(expectedCalls)")
        }
        return (elapsed, report, calls)
    }

    func check(_ report: EvaluationReport, cold: Bool) throws {
        guard report.block == manifest.blockNumberAfterSetup else {
            throw BenchmarkError("evaluation read block \(report.block.map(String.init) ?? "none"), not \(manifest.blockNumberAfterSetup)")
        }
        let expected = expectedTexts
        for name in names {
            let evaluated: EvaluatedAttribute
            switch report.attributes[name] {
            case .success(let value)?: evaluated = value
            case .failure(let error)?: throw BenchmarkError("evaluation failed: \(error)")
            case nil: throw BenchmarkError("attribute '\(name)' was not evaluated")
            }
            if let want = expected[name] {
                let got = name == "holder" ? evaluated.value.text.lowercased() : evaluated.value.text
                guard got == want else { throw BenchmarkError("attribute '\(name)' is '\(got)', the manifest says '\(want)'") }
            }
            if evaluated.provenance.origin == "ethereum:call", evaluated.provenance.cached == cold {
                throw BenchmarkError("attribute '\(name)' came \(cold ? "from the cache in a cold" : "from the chain in a warm") evaluation")
            }
        }
    }

    /// `count` sequential `eth_call`s of one function through the client; the time of each.
    func ethCalls(_ client: JSONRPCChainClient, _ request: CallRequest, count: Int) async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<count {
            let start = clock.now
            let answer = try await client.call(to: request.contract, data: request.data, at: context.block)
            samples.append((clock.now - start).seconds)
            blackHole(answer)
        }
        return samples
    }

    /// The very calls a cold evaluation makes, made directly: one after another.
    func rawSequential(_ client: JSONRPCChainClient, _ requests: [CallRequest]) async throws -> Double {
        let block = context.block
        let start = clock.now
        for request in requests { blackHole(try await client.call(to: request.contract, data: request.data, at: block)) }
        return (clock.now - start).seconds
    }

    /// The very calls a cold evaluation makes, made directly: all at once, as concurrent tasks.
    func rawConcurrent(_ client: JSONRPCChainClient, _ requests: [CallRequest]) async throws -> Double {
        let block = context.block
        let start = clock.now
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for request in requests {
                group.addTask { try await client.call(to: request.contract, data: request.data, at: block) }
            }
            for try await answer in group { blackHole(answer) }
        }
        return (clock.now - start).seconds
    }

    /// The very calls a cold evaluation makes, as one JSON-RPC batch (one HTTP exchange).
    func rawBatch(_ client: JSONRPCChainClient, _ requests: [CallRequest]) async throws -> Double {
        let start = clock.now
        let answers = try await client.calls(requests, at: context.block)
        let elapsed = (clock.now - start).seconds
        for answer in answers { _ = try answer.get() }
        return elapsed
    }
}
