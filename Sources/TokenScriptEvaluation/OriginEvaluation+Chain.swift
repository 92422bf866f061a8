import TokenScriptEthereum
import TokenScriptModel

/// The chain-reading origins, `ethereum:call` and `ethereum:event`, through the cache.
extension OriginEvaluation {
    func callValue(_ call: EthereumCall, inputs: inout ChainInputs) async throws(EvaluationError.Reason)
        -> AttributeValue
    {
        let chainID = context.chainID
        let address = try evaluator.address(ofContract: call.contract, chainID: chainID)
        let abiFunction = try evaluator.abiFunction(
            contract: call.contract, name: call.function, argumentCount: call.arguments.count)
        var types: [ABIType] = []
        var values: [ABIValue] = []
        for (index, argument) in call.arguments.enumerated() {
            // The ts:abi types (tuples included) when the contract has them, else the element names.
            let type: ABIType
            if let abiFunction {
                type = abiFunction.inputs[index].type
            } else {
                guard let parsed = try? ABIType(parsing: argument.type) else {
                    throw .abi("argument ts:\(argument.type) of \(call.function) needs the function in ts:abi")
                }
                type = parsed
            }
            types.append(type)
            values.append(try ABIValueBridge.abiValue(try await argumentValue(argument, inputs: &inputs), as: type))
        }
        let function = ABIFunction(name: call.function, inputs: types)
        let calldata: [UInt8]
        do throws(ABIEncodingError) { calldata = try function.encodeCall(values) } catch { throw .encoding(error) }
        let conversion = call.conversion
        _ = try CallResultDecoding.outputTypes(for: conversion, abiFunction: abiFunction)  // fail before any read
        let cacheKey = CacheKey(
            chainID: chainID, contract: address, request: calldata, conversion: (conversion ?? .uint).description)
        let value = try await cachedRead(cacheKey, chainID: chainID, inputs: &inputs) { client, block in
            let data: [UInt8]
            do throws(ChainError) {
                data = try await client.call(to: address, data: calldata, at: .number(block))
            } catch {
                return .failure(.chain(error))
            }
            guard !data.isEmpty else { return .failure(.noCode(address: address, chainID: chainID)) }
            do throws(EvaluationError.Reason) {
                return .success(try CallResultDecoding.decode(data, conversion: conversion, abiFunction: abiFunction))
            } catch { return .failure(error) }
        }
        return try CallResultDecoding.applyBitmask(call.bitmask, to: value)
    }

    func eventValue(_ event: EthereumEvent, inputs: inout ChainInputs) async throws(EvaluationError.Reason)
        -> AttributeValue
    {
        guard let type = script.eventType(named: event.type) else {
            throw .abi("no asnx:module declares event type \(event.type)")
        }
        let abiEvent = try EventQuery.abiEvent(type)
        let chainID = context.chainID
        let address = try evaluator.address(ofContract: event.contract, chainID: chainID)
        var topicValues: [String: ABIValue] = [:]
        var dataFilters: [String: ABIValue] = [:]
        for term in event.filter {
            guard let input = abiEvent.inputs.first(where: { $0.name == term.field }) else {
                throw .conversion("event \(event.type) has no field '\(term.field)' to filter on")
            }
            let value = try ABIValueBridge.abiValue(try await filterValue(term.value, inputs: &inputs), as: input.type)
            // Indexed fields go to the node as topics; others are matched on the decoded logs.
            if input.isIndexed { topicValues[input.name] = value } else { dataFilters[input.name] = value }
        }
        let topics: [[UInt8]?]
        do throws(ABIEncodingError) { topics = try abiEvent.topicFilter(topicValues) } catch { throw .encoding(error) }
        var request: [UInt8] = []
        for topic in topics { request += topic.map { [1] + $0 } ?? [0] }
        for (name, value) in dataFilters.sorted(by: { $0.key < $1.key }) { request += Array("\(name)=\(value);".utf8) }
        let select = event.select
        let logFilters = dataFilters
        let cacheKey = CacheKey(
            chainID: chainID, contract: address, request: request, conversion: "select=\(select ?? "*")")
        return try await cachedRead(cacheKey, chainID: chainID, inputs: &inputs) { client, block in
            let filter = LogFilter(
                address: address, topics: topics.map { $0.map { [$0] } }, fromBlock: .number(0), toBlock: .number(block)
            )
            do throws(ChainError) {
                let logs = try await client.logs(filter)
                do throws(EvaluationError.Reason) {
                    return .success(
                        try EventQuery.value(of: logs, event: abiEvent, dataFilters: logFilters, select: select))
                } catch { return .failure(error) }
            } catch { return .failure(.chain(error)) }
        }
    }

    /// A filter value: a lone `${ref}` keeps the referenced value's type; anything else is interpolated text.
    private func filterValue(_ value: FilterValue, inputs: inout ChainInputs) async throws(EvaluationError.Reason)
        -> AttributeValue
    {
        if value.segments.count == 1, case .reference(let name) = value.segments[0] {
            return try await referenceValue(name, local: false, inputs: &inputs)
        }
        var text = ""
        for segment in value.segments {
            switch segment {
            case .literal(let literal): text += literal
            case .reference(let name): text += try await referenceValue(name, local: false, inputs: &inputs).text
            }
        }
        return .string(text)
    }

    /// Resolves the block, then reads through the cache; records the provenance of the read.
    private func cachedRead(
        _ cacheKey: CacheKey, chainID: UInt64, inputs: inout ChainInputs,
        read: @escaping @Sendable (any ChainClient, UInt64) async -> Result<AttributeValue, EvaluationError.Reason>
    ) async throws(EvaluationError.Reason) -> AttributeValue {
        let client: any ChainClient
        do throws(ChainError) { client = try evaluator.chains(chainID) } catch { throw .chain(error) }
        let block: UInt64
        switch await run.block(onChain: chainID) {
        case .success(let number): block = number
        case .failure(let error): throw .chain(error)
        }
        let pinned = context.block != .latest
        let lookup = await evaluator.cache.value(for: cacheKey, at: block, pinned: pinned, attribute: key) {
            await read(client, block)
        }
        inputs.record(block: lookup.block, cached: lookup.cached)
        return try lookup.value.get()
    }
}
