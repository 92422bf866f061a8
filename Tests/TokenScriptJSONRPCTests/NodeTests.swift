import Foundation
import Testing
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC
import TokenScriptTesting

/// The shared node and a client for it. Reads pin the setup's last block where the manifest's values are
/// exact, so tests elsewhere in the process that send transactions cannot change what these see.
func nodeClient() async throws -> (EthereumTestNode, JSONRPCChainClient) {
    let node = try await EthereumTestNode.shared()
    // A minute, not the default ten seconds: the full test run can hold the process's cooperative threads for
    // half a minute at its start (sandbox pools spawning workers), while the request's clock runs on.
    return (node, JSONRPCChainClient(url: node.rpcURL, options: JSONRPCClientOptions(timeout: 60)))
}

func address(_ node: EthereumTestNode, _ contract: String) throws -> EthereumAddress {
    try #require(node.contractAddress(contract).flatMap { EthereumAddress($0) }, "no \(contract) in the manifest")
}

@Suite("JSONRPCChainClient against the local Ethereum node", .needsEthereumNode)
struct NodeTests {
    @Test("parallel first calls of EthereumTestNode.shared() get one and the same node")
    func oneNode() async throws {
        let nodes = try await withThrowingTaskGroup(of: EthereumTestNode.self) { group in
            for _ in 0..<8 { group.addTask { try await EthereumTestNode.shared() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(nodes.allSatisfy { $0 === nodes[0] })
        #expect(kill(nodes[0].pid, 0) == 0, "the node process is alive")
    }

    @Test("chain id and block number are the node's")
    func chainAndBlock() async throws {
        let (node, client) = try await nodeClient()
        #expect(try await client.chainID() == node.chainID)
        #expect(try await client.blockNumber() >= node.blockNumberAfterSetup)
        #expect(node.blockNumberAfterSetup > 0)
    }

    @Test("every calls[] vector of the manifest returns exactly its bytes, one by one")
    func vectorsOneByOne() async throws {
        let (node, client) = try await nodeClient()
        let vectors = node.calls
        #expect(vectors.count >= 40)
        for vector in vectors {
            let result = try await client.call(
                to: try address(node, vector.contract), data: bytes(vector.data),
                at: .number(node.blockNumberAfterSetup))
            #expect(result == bytes(vector.result), "\(vector)")
        }
    }

    @Test("the same vectors in one batch return the same bytes, in request order")
    func vectorsBatched() async throws {
        let (node, client) = try await nodeClient()
        let vectors = node.calls
        let requests = try vectors.map { CallRequest(contract: try address(node, $0.contract), data: bytes($0.data)) }
        let results = try await client.calls(requests, at: .number(node.blockNumberAfterSetup))
        #expect(results.count == vectors.count)
        for (vector, result) in zip(vectors, results) {
            #expect(try result.get() == bytes(vector.result), "\(vector)")
        }
    }

    @Test("a reverting call is .reverted with the node's data, and ABIRevert reads the reason")
    func reverts() async throws {
        let (node, client) = try await nodeClient()
        let reverts = node.reverts
        #expect(reverts.count >= 3)
        for vector in reverts {
            let contract = try address(node, vector.contract)
            let error = await chainError { () throws(ChainError) in
                try await client.call(to: contract, data: bytes(vector.data), at: .latest)
            }
            #expect(error == .reverted(data: bytes(vector.errorData), message: vector.errorMessage), "\(vector)")
            let reason = vector.errorMessage.replacingOccurrences(of: "execution reverted: ", with: "")
            #expect(ABIRevert(data: bytes(vector.errorData)) == .error(reason))
        }
    }

    @Test("a batch mixes successes and reverts per entry")
    func mixedBatch() async throws {
        let (node, client) = try await nodeClient()
        let call = try #require(node.calls.first)
        let revert = try #require(node.reverts.first)
        let requests = [
            CallRequest(contract: try address(node, call.contract), data: bytes(call.data)),
            CallRequest(contract: try address(node, revert.contract), data: bytes(revert.data)),
        ]
        let results = try await client.calls(requests, at: .number(node.blockNumberAfterSetup))
        #expect(try results[0].get() == bytes(call.result))
        #expect(results[1].failureError == .reverted(data: bytes(revert.errorData), message: revert.errorMessage))
    }

    @Test("Ticket Redeemed logs are the manifest's, topics, data and blocks")
    func redeemedLogs() async throws {
        let (node, client) = try await nodeClient()
        let ticket = try address(node, "Ticket")
        let expected = try #require(node.expected("Ticket")?["redeemed"] as? [[String: Any]])
        let topic0 = Keccak256.hash(utf8: "Redeemed(uint256,address,uint16)")
        let filter = LogFilter(address: ticket, topics: [[topic0]], toBlock: .number(node.blockNumberAfterSetup))
        let logs = try await client.logs(filter)
        #expect(logs.count == expected.count)
        for (log, entry) in zip(logs, expected) {
            #expect(log.address == ticket)
            #expect(log.topics == ((entry["topics"] as? [String]) ?? []).map(bytes))
            #expect(log.data == bytes(entry["data"] as? String ?? "?"))
            #expect(log.blockNumber == (entry["blockNumber"] as? NSNumber)?.uint64Value)
            #expect(log.logIndex == (entry["logIndex"] as? NSNumber)?.uint64Value)
        }

        // A topic by position narrows it to one token.
        let student = try #require(expected.first)
        let byToken = LogFilter(
            address: ticket, topics: [[topic0], [bytes(student["tokenId"] as? String ?? "?")]],
            toBlock: .number(node.blockNumberAfterSetup))
        #expect(
            try await client.logs(byToken).map(\.blockNumber) == [
                (student["blockNumber"] as? NSNumber)?.uint64Value ?? 0
            ])
    }

    @Test("calls at an old block see the state of that block")
    func oldBlocks() async throws {
        let (node, client) = try await nodeClient()
        let ticket = try address(node, "Ticket")
        let redeemed = try #require((node.expected("Ticket")?["redeemed"] as? [[String: Any]])?.first)
        let block = try #require((redeemed["blockNumber"] as? NSNumber)?.uint64Value)
        let isExpired = ABIFunction(name: "isExpired", inputs: [.uint(bits: 256)])
        let calldata = try isExpired.encodeCall([
            .uint(UInt256(bigEndian: bytes(redeemed["tokenId"] as? String ?? "?"))!)
        ])
        let falseWord = [UInt8](repeating: 0, count: 32)
        let trueWord = falseWord.dropLast() + [1]
        // Redeeming makes a ticket expired: not yet in the block before, and from its own block on.
        #expect(try await client.call(to: ticket, data: calldata, at: .number(block - 1)) == falseWord)
        #expect(try await client.call(to: ticket, data: calldata, at: .number(block)) == Array(trueWord))
        // Before the Ticket was deployed there is no code, and a call returns nothing.
        let name = ABIFunction(name: "name", inputs: [])
        #expect(try await client.call(to: ticket, data: name.selector, at: .number(0)) == [])
        #expect(try await client.call(to: ticket, data: name.selector, at: .latest).count == 96)
    }

    @Test("a block above the head is an RPC error, not a revert")
    func futureBlock() async throws {
        let (node, client) = try await nodeClient()
        let ticket = try address(node, "Ticket")
        let error = await chainError { () throws(ChainError) in
            try await client.call(to: ticket, data: [6, 253, 222, 3], at: .number(1 << 40))
        }
        guard case .rpc(let code, let message)? = error else {
            Issue.record("expected .rpc, got \(String(describing: error))")
            return
        }
        #expect(code == -32000 && message.contains("header not found"))
    }

    @Test("ChainConfiguration gives a working client for the node's chain")
    func configuredClient() async throws {
        let node = try await EthereumTestNode.shared()
        let configuration = try ChainConfiguration(chainArguments: ["\(node.chainID)=\(node.rpcURL.absoluteString)"])
        #expect(try await configuration.client(for: node.chainID).chainID() == node.chainID)
    }
}
