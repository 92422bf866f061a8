import Testing
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel
import TokenScriptTesting

/// Evaluation against `InMemoryChainClient`: exact answers without a node.
@Suite("Evaluation against an in-memory chain")
struct InMemoryChainTests {
    static let address = EthereumAddress("0x04ba0ea395bce2537445849500e0acf924ad6e32")!
    static let reward = Contract(
        name: "Reward", interface: "erc20", addresses: [.init(network: "31337", address: address.checksummed)])
    static let symbol = ABIFunction(name: "symbol", inputs: [], outputs: [.string])

    static func call(_ function: String, _ conversion: ValueConversion) -> AttributeOrigin {
        .call(EthereumCall(contract: "Reward", function: function, conversion: conversion))
    }

    @Test("a call attribute reads the scripted answer, as text and as bytes")
    func scriptedAnswer() async throws {
        let chain = InMemoryChainClient()
        try chain.answer(Self.address, Self.symbol, returning: [.string("RWD")])
        let twoWays = script(
            [attribute("text", Self.call("symbol", .utf8)), attribute("raw", Self.call("symbol", .bytes))],
            contracts: [Self.reward])
        let evaluator = AttributeEvaluator(tokenScript: twoWays, chains: { _ in chain }, cache: EvaluationCache())
        let report = await evaluator.evaluate(EvaluationContext(chainID: 31337, block: .number(1)))
        #expect(report.value("text") == .string("RWD"))
        #expect(report.value("raw") == .bytes(Array("RWD".utf8)))
        #expect(chain.count("call") + chain.count("calls") >= 1)
    }

    @Test("a call nobody scripted is a chain error naming the selector, not a value")
    func unscriptedCall() async throws {
        let chain = InMemoryChainClient()
        let evaluator = AttributeEvaluator(
            tokenScript: script([attribute("name", Self.call("name", .utf8))], contracts: [Self.reward]),
            chains: { _ in chain }, cache: EvaluationCache())
        let report = await evaluator.evaluate(EvaluationContext(chainID: 31337, block: .number(1)))
        #expect(report.value("name") == nil)
        let reason = try #require(report.error("name")?.reason)
        guard case .chain(.rpc(_, let message)) = reason else {
            Issue.record("expected an RPC error, got \(reason)")
            return
        }
        // name() = 0x06fdde03
        #expect(message.contains("0x06fdde03"))
    }

    @Test("logs are filtered by contract, topic position and block range, oldest first")
    func logsFiltered() async throws {
        let chain = InMemoryChainClient(blockNumber: 20)
        let other = try #require(EthereumAddress("0x0000000000000000000000000000000000000001"))
        let (a, b) = ([UInt8](repeating: 0xAA, count: 32), [UInt8](repeating: 0xBB, count: 32))
        func log(_ address: EthereumAddress, _ topics: [[UInt8]], block: UInt64, index: UInt64) -> EventLog {
            EventLog(
                address: address, topics: topics, data: [], blockNumber: block, transactionIndex: 0, logIndex: index)
        }
        chain.emit(log(Self.address, [a, b], block: 12, index: 0))
        chain.emit(log(Self.address, [a], block: 5, index: 1))
        chain.emit(log(Self.address, [b], block: 6, index: 0))
        chain.emit(log(other, [a], block: 7, index: 0))
        chain.emit(log(Self.address, [a], block: 30, index: 0))
        let found = try await chain.logs(LogFilter(address: Self.address, topics: [[a]], toBlock: .latest))
        #expect(found.map(\.blockNumber) == [5, 12])
        let second = try await chain.logs(LogFilter(address: Self.address, topics: [nil, [b]]))
        #expect(second.map(\.blockNumber) == [12])
        let ranged = try await chain.logs(
            LogFilter(address: Self.address, topics: [], fromBlock: .number(6), toBlock: .number(12)))
        #expect(ranged.map(\.blockNumber) == [6, 12])
        #expect(chain.count("logs") == 3)
    }
}
