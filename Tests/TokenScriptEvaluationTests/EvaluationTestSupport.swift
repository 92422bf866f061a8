import Foundation
import Testing
import TokenScriptDocument
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC
import TokenScriptModel
import TokenScriptTesting

/// Our TokenScripts, read as the document layer reads them.
enum OwnScripts {
    static func load(_ name: String) throws -> TokenScript {
        try TokenScriptReader.read(file: TestPaths.tokenScripts + "/" + name).tokenScript
    }

    static var ticket: TokenScript { get throws { try load("event-ticket-erc721.xml") } }
    static var reward: TokenScript { get throws { try load("reward-token-erc20.xml") } }
    static var membership: TokenScript { get throws { try load("membership-2024.xml") } }
}

/// The shared local node, a client for it, and evaluators whose contract addresses are the deployed ones.
///
/// The TokenScripts' 31337 addresses are invented, so the manifest's addresses override them by contract
/// name. Reads are pinned to the setup's last block, where the manifest's values are exact even if other
/// tests in the process send transactions.
struct Node {
    let node: EthereumTestNode
    let client: JSONRPCChainClient

    static func shared() async throws -> Node {
        let node = try await EthereumTestNode.shared()
        return Node(node: node, client: JSONRPCChainClient(url: node.rpcURL))
    }

    var block: UInt64 { node.blockNumberAfterSetup }

    func address(_ contract: String) throws -> EthereumAddress {
        try #require(node.contractAddress(contract).flatMap { EthereumAddress($0) }, "no \(contract) in the manifest")
    }

    func account(_ index: Int) throws -> EthereumAddress {
        try #require(EthereumAddress(node.accounts[index]))
    }

    func evaluator(_ script: TokenScript, cache: EvaluationCache = EvaluationCache(), client: (any ChainClient)? = nil)
        -> AttributeEvaluator
    {
        var overrides: [String: EthereumAddress] = [:]
        for contract in script.contracts {
            if let address = node.contractAddress(contract.name).flatMap({ EthereumAddress($0) }) {
                overrides[contract.name] = address
            }
        }
        let chainClient: any ChainClient = client ?? self.client
        return AttributeEvaluator(
            tokenScript: script, chains: { _ in chainClient }, cache: cache, contractAddresses: overrides)
    }

    func context(
        tokenID: UInt256? = nil, owner: EthereumAddress? = nil, userEntries: [String: String] = [:],
        languages: [String] = ["en"]
    )
        -> EvaluationContext
    {
        EvaluationContext(
            chainID: node.chainID, tokenID: tokenID, owner: owner, wallet: owner, block: .number(block),
            userEntries: userEntries,
            languages: languages)
    }

    /// A direct `eth_call` of the test's own making, decoded with the function's outputs.
    func call(_ contract: String, _ function: ABIFunction, _ arguments: [ABIValue] = []) async throws -> [ABIValue] {
        let data = try await client.call(
            to: try address(contract), data: try function.encodeCall(arguments), at: .number(block))
        return try function.decodeOutput(data)
    }

    /// One member of `expected.<contract>` of the manifest.
    func expected(_ contract: String, _ key: String) throws -> Any {
        try #require(node.expected(contract)?[key], "no expected.\(contract).\(key) in the manifest")
    }

    /// The manifest's record of one ticket, by its name there (`vip`, `student` …).
    func ticket(_ name: String) throws -> [String: Any] {
        let tokens = try #require(try expected("Ticket", "tokens") as? [[String: Any]])
        return try #require(tokens.first { $0["name"] as? String == name }, "no ticket \(name)")
    }
}

/// A clock that moves only when told: the one fake these tests use.
actor ManualClock: EvaluationClock {
    private var current: Duration = .zero

    func now() -> Duration { current }

    func advance(by duration: Duration) { current += duration }
}

/// An evaluator with no chain at all: origins that need none still evaluate, the others name the missing endpoint.
func offlineEvaluator(_ script: TokenScript, cache: EvaluationCache = EvaluationCache()) -> AttributeEvaluator {
    AttributeEvaluator(
        tokenScript: script, chains: { chainID throws(ChainError) in throw ChainError.noEndpoint(chainID: chainID) },
        cache: cache)
}

func uint(_ text: String) -> UInt256 {
    if text.hasPrefix("0x") { return UInt256(hex: text)! }
    return UInt256(decimal: text)!
}

extension AttributeValue {
    static func int(_ value: Int) -> AttributeValue { .integer(AttributeInteger(value)) }
}

/// A token-scope attribute built in code.
func attribute(_ name: String, _ origin: AttributeOrigin, syntax: String? = nil) -> AttributeDefinition {
    AttributeDefinition(name: name, syntax: syntax.map { ValueSyntax(oid: ValueSyntax.prefix + $0) }, origins: [origin])
}

/// A minimal TokenScript around some attributes.
func script(
    _ attributes: [AttributeDefinition], cards: [Card] = [], selections: [Selection] = [], contracts: [Contract] = []
) -> TokenScript {
    TokenScript(
        namespace: "http://tokenscript.org/2024/01/tokenscript", version: .v2024_01, contracts: contracts,
        attributes: attributes, selections: selections, cards: cards)
}

/// A value a test needs, or a thrown failure saying which (usable inside other expressions, unlike `#require`).
func need<T>(
    _ value: T?, _ what: String = "a required value", sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> T {
    guard let value else {
        Issue.record("missing \(what)", sourceLocation: sourceLocation)
        throw MissingValue(what: what)
    }
    return value
}

struct MissingValue: Error, CustomStringConvertible {
    var what: String
    var description: String { "missing \(what)" }
}
