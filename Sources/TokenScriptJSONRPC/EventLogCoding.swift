import TokenScriptArithmetic
import TokenScriptJSON
import TokenScriptEthereum
import TokenScriptEvaluation

/// `eth_getLogs` in both directions: the filter object out, `EventLog`s back.
///
/// Logs are sorted by block and log index because the protocol promises oldest first and not every node
/// guarantees an order. A log from another contract than the filter's means the node ignored the filter,
/// and is refused rather than attributed to the wrong token.
enum EventLogCoding {
    static func filterObject(_ filter: LogFilter) -> JSONRPCValue {
        let topics: [JSONRPCValue] = filter.topics.map { alternatives in
            switch alternatives {
            case nil: .null
            case let single? where single.count == 1: .string(Hex.encode(single[0]))
            case let several?: .array(several.map { .string(Hex.encode($0)) })
            }
        }
        return .object([
            "address": .string(filter.address.checksummed),
            "topics": .array(topics),
            "fromBlock": .string(RPCHex.encode(filter.fromBlock)),
            "toBlock": .string(RPCHex.encode(filter.toBlock)),
        ])
    }

    static func logs(from result: JSONRPCValue, address: EthereumAddress) throws(ChainError) -> [EventLog] {
        guard case .array(let entries) = result else {
            throw .malformedResponse("eth_getLogs result: expected an array, got \(result.rpcKind)")
        }
        var logs: [EventLog] = []
        for (index, entry) in entries.enumerated() {
            // Logs of a block that was reorganised away; `eth_getLogs` should not return them, some nodes do.
            if case .bool(true)? = entry["removed"] { continue }
            let log = try self.log(from: entry, field: "eth_getLogs result[\(index)]")
            guard log.address == address else {
                throw .malformedResponse(
                    "eth_getLogs result[\(index)] is from \(log.address), not the filter's \(address)")
            }
            logs.append(log)
        }
        return logs.sorted { ($0.blockNumber, $0.logIndex) < ($1.blockNumber, $1.logIndex) }
    }

    private static func log(from entry: JSONRPCValue, field: String) throws(ChainError) -> EventLog {
        guard case .object = entry else {
            throw .malformedResponse("\(field): expected an object, got \(entry.rpcKind)")
        }
        let addressBytes = try RPCHex.data(entry["address"], field: "\(field).address", byteCount: 20)
        guard case .array(let topicValues)? = entry["topics"] else {
            throw .malformedResponse("\(field).topics: expected an array, got \(entry["topics"]?.rpcKind ?? "nothing")")
        }
        var topics: [[UInt8]] = []
        for (index, topic) in topicValues.enumerated() {
            topics.append(try RPCHex.data(topic, field: "\(field).topics[\(index)]", byteCount: 32))
        }
        return EventLog(
            address: EthereumAddress(bytes: addressBytes) ?? .zero,
            topics: topics,
            data: try RPCHex.data(entry["data"], field: "\(field).data"),
            blockNumber: try RPCHex.quantity(entry["blockNumber"], field: "\(field).blockNumber"),
            transactionIndex: try RPCHex.quantity(entry["transactionIndex"], field: "\(field).transactionIndex"),
            logIndex: try RPCHex.quantity(entry["logIndex"], field: "\(field).logIndex"))
    }
}
