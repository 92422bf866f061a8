import TokenScriptEthereum
import TokenScriptModel

/// The pure parts of `ethereum:event`: the event ABI from `asnx:module`, and the value of the chosen log.
enum EventQuery {
    /// The ABI event an `asnx:module` named type declares.
    static func abiEvent(_ type: EventModule.EventType) throws(EvaluationError.Reason) -> ABIEvent {
        var inputs: [ABIParameter] = []
        for field in type.fields {
            guard let abiType = try? ABIType(parsing: field.type) else {
                throw .abi("event \(type.name) field \(field.name) has type '\(field.type)', which is not an ABI type")
            }
            inputs.append(ABIParameter(name: field.name, type: abiType, isIndexed: field.indexed))
        }
        return ABIEvent(name: type.name, inputs: inputs)
    }

    /// The `select` field of the newest log that decodes and matches the non-indexed filter terms.
    ///
    /// Newest (highest block, transaction and log index), unlike engine-js, which takes the oldest
    /// because `queryFilter` runs from block 0: the latest event is the token's current state
    /// (the last gate it was redeemed at, the current price). Without `select`, all fields as a structure.
    static func value(
        of logs: [EventLog], event: ABIEvent, dataFilters: [String: ABIValue], select: String?
    ) throws(EvaluationError.Reason) -> AttributeValue {
        let newestFirst = logs.sorted {
            ($0.blockNumber, $0.transactionIndex, $0.logIndex) > ($1.blockNumber, $1.transactionIndex, $1.logIndex)
        }
        var firstFailure: ABIDecodingError?
        for log in newestFirst {
            let fields: [ABILogField]
            do throws(ABIDecodingError) { fields = try event.decodeLog(topics: log.topics, data: log.data) } catch {
                firstFailure = firstFailure ?? error
                continue
            }
            let matches = dataFilters.allSatisfy { name, wanted in
                fields.contains { $0.name == name && $0.value == .value(wanted) }
            }
            guard matches else { continue }
            guard let select else {
                return .structured(fields.map { AttributeField(name: $0.name, value: fieldValue($0.value)) })
            }
            guard let field = fields.first(where: { $0.name == select }) else {
                throw .conversion("event \(event.name) has no field '\(select)'")
            }
            guard case .value(let value) = field.value else {
                throw .conversion("field '\(select)' is indexed and dynamic, so a log holds only its hash")
            }
            return ABIValueBridge.attributeValue(value)
        }
        if let firstFailure { throw .decoding(firstFailure) }
        throw .noMatchingLog(event: event.name)
    }

    private static func fieldValue(_ value: ABILogValue) -> AttributeValue {
        switch value {
        case .value(let value): ABIValueBridge.attributeValue(value)
        case .hashed(let hash): .bytes(hash)
        }
    }
}
