import Testing
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel
import TokenScriptTesting

/// The cache: keyed by `as` as well as the call, anchored to blocks, expiring per attribute, invalidated
/// through the dependency graph, and shared by concurrent readers.
@Suite("Evaluation cache")
struct CacheTests {
    static let contract = EthereumAddress("0x2946259E0334f33A064106302415aD3391BeD384")!

    static func key(_ conversion: String) -> CacheKey {
        CacheKey(chainID: 1, contract: contract, request: [1, 2, 3, 4], conversion: conversion)
    }

    @Test("entries expire after their attribute's time to live, by the injected clock")
    func timeToLive() async {
        let clock = ManualClock()
        let cache = EvaluationCache(
            clock: clock, policy: AttributeCachePolicy(timeToLive: ["slow": .seconds(300), "never": .zero]))
        for name in ["fast", "slow", "never"] {
            _ = await cache.value(for: Self.key(name), at: 10, pinned: false, attribute: AttributeKey(name)) {
                .success(.int(1))
            }
        }
        #expect(await cache.count == 2)
        await clock.advance(by: .seconds(29))
        #expect(
            await cache.value(for: Self.key("fast"), at: 11, pinned: false, attribute: AttributeKey("fast")) {
                .success(.int(2))
            }.cached)
        await clock.advance(by: .seconds(2))
        let expired = await cache.value(for: Self.key("fast"), at: 12, pinned: false, attribute: AttributeKey("fast")) {
            .success(.int(3))
        }
        #expect(!expired.cached && (try? expired.value.get()) == .int(3))
        let slow = await cache.value(for: Self.key("slow"), at: 12, pinned: false, attribute: AttributeKey("slow")) {
            .success(.int(4))
        }
        #expect(slow.cached && slow.block == 10 && (try? slow.value.get()) == .int(1))
    }

    @Test("a pinned read uses only an entry of its own block; a latest read any entry not newer than its block")
    func blocks() async {
        let cache = EvaluationCache(clock: ManualClock())
        let reader = AttributeKey("x")
        _ = await cache.value(for: Self.key("uint"), at: 10, pinned: false, attribute: reader) { .success(.int(10)) }
        #expect(
            await cache.value(for: Self.key("uint"), at: 12, pinned: false, attribute: reader) { .success(.int(12)) }
                .cached)
        #expect(
            await !cache.value(for: Self.key("uint"), at: 9, pinned: false, attribute: reader) { .success(.int(9)) }
                .cached)
        #expect(
            await cache.value(for: Self.key("uint"), at: 10, pinned: true, attribute: reader) { .success(.int(0)) }
                .cached)
        #expect(
            await !cache.value(for: Self.key("uint"), at: 11, pinned: true, attribute: reader) { .success(.int(11)) }
                .cached)
        let again = await cache.value(for: Self.key("uint"), at: 11, pinned: true, attribute: reader) {
            .success(.int(0))
        }
        #expect(again.cached && (try? again.value.get()) == .int(11))
    }

    @Test("failures are not stored, and concurrent readers of one key share one read")
    func failuresAndSharing() async {
        let cache = EvaluationCache(clock: ManualClock())
        let reader = AttributeKey("x")
        _ = await cache.value(for: Self.key("uint"), at: 1, pinned: true, attribute: reader) {
            .failure(.noMatchingLog(event: "E"))
        }
        #expect(await cache.count == 0)
        let reads = ReadCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    _ = await cache.value(for: Self.key("uint"), at: 1, pinned: true, attribute: reader) {
                        await reads.increment()
                        try? await Task.sleep(for: .milliseconds(50))
                        return .success(.int(1))
                    }
                }
            }
        }
        #expect(await reads.count == 1)
    }

    @Test(
        "the same call read with different as gets separate entries (AlphaWallet iOS #5917 shared one)",
        .needsEthereumNode)
    func separateByAs() async throws {
        let node = try await Node.shared()
        let symbol = { (conversion: ValueConversion) in
            AttributeOrigin.call(EthereumCall(contract: "Reward", function: "symbol", conversion: conversion))
        }
        let reward = Contract(
            name: "Reward", interface: "erc20",
            addresses: [.init(network: "31337", address: "0x04ba0ea395bce2537445849500e0acf924ad6e32")])
        let twoWays = script([attribute("text", symbol(.utf8)), attribute("raw", symbol(.bytes))], contracts: [reward])
        let cache = EvaluationCache(clock: ManualClock())
        let evaluator = node.evaluator(twoWays, cache: cache)
        for round in 0..<2 {
            let report = await evaluator.evaluate(node.context())
            #expect(report.value("text") == .string("RWD"))
            #expect(report.value("raw") == .bytes(Array("RWD".utf8)))
            #expect(try report.attributes["raw"]?.get().provenance.cached == (round == 1))
        }
        #expect(await cache.count == 2)
    }

    @Test("each value is computed once per evaluation, and reads are shared across attributes", .needsEthereumNode)
    func once() async throws {
        let node = try await Node.shared()
        let counting = CountingChainClient(node.client)
        let evaluator = node.evaluator(
            try OwnScripts.membership, cache: EvaluationCache(clock: ManualClock()), client: counting)
        let report = await evaluator.evaluate(node.context(tokenID: 1, owner: try node.account(1)))
        #expect(report.value("points") == .int(450))
        // memberInfo feeds four paths and the lifetime selection, yet getMember is called once; joinPrice once.
        #expect(counting.count("call") == 2)
        #expect(counting.count("blockNumber") == 0)  // pinned
        var latest = node.context(tokenID: 1)
        latest.block = .latest
        _ = await node.evaluator(try OwnScripts.membership, client: counting).evaluate(latest)
        #expect(counting.count("blockNumber") == 1)
    }

    @Test("invalidating tokenId drops what depends on it and keeps the rest", .needsEthereumNode)
    func invalidation() async throws {
        let node = try await Node.shared()
        let clock = ManualClock()
        let cache = EvaluationCache(
            clock: clock, policy: AttributeCachePolicy(timeToLive: ["joinPrice": .seconds(3600)]))
        let evaluator = node.evaluator(try OwnScripts.membership, cache: cache)
        let context = node.context(tokenID: 1)
        func cached(_ report: EvaluationReport) -> [String: Bool] {
            report.attributes.compactMapValues { try? $0.get().provenance.cached }
        }
        let first = await evaluator.evaluate(context)
        #expect(cached(first).values.allSatisfy { !$0 })
        let second = await evaluator.evaluate(context)
        #expect(
            cached(second) == [
                "memberInfo": true, "level": true, "expiresAt": true, "active": true, "points": true, "joinPrice": true,
            ])

        await cache.invalidate(dependentsOf: "tokenId", in: evaluator.graph)
        let third = await evaluator.evaluate(context)
        #expect(
            cached(third) == [
                "memberInfo": false, "level": false, "expiresAt": false, "active": false, "points": false,
                "joinPrice": true,
            ])

        // Past the default 30 s the struct is read again; joinPrice's own hour has not passed.
        await clock.advance(by: .seconds(31))
        let fourth = await evaluator.evaluate(context)
        #expect(cached(fourth)["memberInfo"] == false && cached(fourth)["joinPrice"] == true)
        await cache.invalidate(contract: try node.address("Membership"), chainID: node.node.chainID)
        #expect(await cache.count == 0)
    }
}

actor ReadCounter {
    private(set) var count = 0
    func increment() { count += 1 }
}
