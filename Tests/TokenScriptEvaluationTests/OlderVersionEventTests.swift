import Testing
import TokenScriptDocument
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel
import TokenScriptTesting

/// The 2020/03 event origin (`ts:ethereum event= filter= select=`, its ABI in `ts:contract`) evaluates as its
/// 2020/06 form does: it used to be read as a call without a function, and the document was refused.
@Suite("Older-version event origin, evaluated")
struct OlderVersionEventTests {
    static let weth = EthereumAddress("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")!
    static let holder = EthereumAddress("0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF")!

    /// A chain on which the holder deposited 3 wei and then 5 wei (the newer log wins), and someone else 7.
    static func chain() throws -> InMemoryChainClient {
        let chain = InMemoryChainClient(chainID: 1, blockNumber: 20)
        let topic = Keccak256.hash(utf8: "Deposit(address,uint256)")
        func deposit(_ owner: EthereumAddress, _ wad: UInt64, block: UInt64) throws -> EventLog {
            EventLog(
                address: weth, topics: [topic, [UInt8](repeating: 0, count: 12) + owner.bytes],
                data: try ABIEncoder.encode(.uint(UInt256(wad)), as: .uint256), blockNumber: block,
                transactionIndex: 0, logIndex: 0)
        }
        chain.emit(try deposit(holder, 3, block: 5))
        chain.emit(try deposit(holder, 5, block: 9))
        chain.emit(try deposit(.zero, 7, block: 12))
        return chain
    }

    @Test(
        "lastDeposit reads the holder's newest Deposit's wad, in 2020/03 as in 2020/06",
        arguments: ["2020-03", "2020-06"])
    func lastDeposit(_ version: String) async throws {
        let script = try TokenScriptReader.read(file: TestPaths.fixtures + "/older-versions/weth-\(version).xml")
            .tokenScript
        let chain = try Self.chain()
        let evaluator = AttributeEvaluator(tokenScript: script, chains: { _ in chain }, cache: EvaluationCache())
        let report = await evaluator.evaluate(EvaluationContext(chainID: 1, owner: Self.holder))
        #expect(report.error("lastDeposit") == nil, "\(report.error("lastDeposit").map(\.description) ?? "")")
        #expect(report.value("lastDeposit") == .uint(UInt256(5)))
    }
}
