import Foundation
import TokenScriptJSON
import TokenScriptEvaluation

/// One method call to send, before it gets an id.
struct JSONRPCRequest: Sendable, Hashable {
    var method: String
    var params: [JSONRPCValue]
}

/// JSON-RPC 2.0 framing: request bodies out, validated results in.
///
/// Ids are 1…n within one HTTP exchange. They only need to be unique per exchange, and fixed ids make a
/// wrong or missing id in an answer unambiguous. Everything a node answers is checked against the shape
/// the spec requires, because a proxy or a misconfigured URL can answer anything.
enum JSONRPCEnvelope {
    private static func wireRequest(id: Int64, _ request: JSONRPCRequest) -> JSONRPCValue {
        ["jsonrpc": "2.0", "id": .integer(id), "method": .string(request.method), "params": .array(request.params)]
    }

    /// The body of a single call with id 1.
    static func body(for request: JSONRPCRequest) -> Data {
        encode(wireRequest(id: 1, request))
    }

    /// The body of a batch: one JSON array, ids 1…n in request order.
    static func batchBody(for requests: [JSONRPCRequest]) -> Data {
        encode(.array(requests.enumerated().map { wireRequest(id: Int64($0.offset + 1), $0.element) }))
    }

    private static func encode(_ value: JSONRPCValue) -> Data {
        // Only strings, integers, arrays and objects built by this module: the canonical writer cannot refuse.
        Data((try? JSONWriter.canonical(value)) ?? [])
    }

    /// The result of a single call, or the error its answer carries.
    static func result(of body: Data) throws(ChainError) -> JSONRPCValue {
        let response = try parse(body)
        guard case .object = response else {
            throw .malformedResponse("expected a JSON-RPC response object, got \(response.rpcKind)")
        }
        return try outcome(of: response, expectedID: 1).get()
    }

    /// The results of a batch of `count` calls, in request order; answers may come in any order.
    static func results(of body: Data, count: Int) throws(ChainError) -> [Result<JSONRPCValue, ChainError>] {
        let response = try parse(body)
        guard case .array(let answers) = response else {
            // Some servers refuse a whole batch with one error object; report that error rather than the shape.
            if case .object = response, let error = response["error"], response["result"] == nil {
                throw JSONRPCErrorObject.chainError(from: error)
            }
            throw .malformedResponse("expected a JSON-RPC batch array, got \(response.rpcKind)")
        }
        var byID: [Int64: JSONRPCValue] = [:]
        for answer in answers {
            guard case .integer(let id)? = answer["id"], id >= 1, id <= Int64(count) else {
                throw .malformedResponse("batch answer with id \(describe(answer["id"])), which was not requested")
            }
            guard byID.updateValue(answer, forKey: id) == nil else {
                throw .malformedResponse("batch answers id \(id) twice")
            }
        }
        return (0..<Int64(count)).map { index in
            let id = index + 1
            guard let answer = byID[id] else {
                return .failure(.malformedResponse("batch answer for id \(id) is missing"))
            }
            return outcome(of: answer, expectedID: id)
        }
    }

    /// Whether an answer is a well-formed success or error for `expectedID`.
    private static func outcome(of answer: JSONRPCValue, expectedID: Int64) -> Result<JSONRPCValue, ChainError> {
        guard case .object(let members) = answer else {
            return .failure(.malformedResponse("expected a response object, got \(answer.rpcKind)"))
        }
        guard case .string("2.0")? = members["jsonrpc"] else {
            return .failure(.malformedResponse("\"jsonrpc\" is \(describe(members["jsonrpc"])), not \"2.0\""))
        }
        guard case .integer(expectedID)? = members["id"] else {
            return .failure(.malformedResponse("response id is \(describe(members["id"])), expected \(expectedID)"))
        }
        switch (members["result"], members["error"]) {
        case (let result?, nil): return .success(result)
        case (nil, let error?): return .failure(JSONRPCErrorObject.chainError(from: error))
        case (nil, nil): return .failure(.malformedResponse("response \(expectedID) has neither result nor error"))
        case (_?, _?): return .failure(.malformedResponse("response \(expectedID) has both result and error"))
        }
    }

    private static func parse(_ body: Data) throws(ChainError) -> JSONRPCValue {
        do {
            // The transport already caps the body; the reader's own size limit must not cut below that cap.
            return try JSONReader.read(body, limits: .init(maximumBytes: .max))
        } catch {
            let start = String(decoding: body.prefix(80), as: UTF8.self)
            throw .malformedResponse("body is not JSON (\(body.count) bytes, \(error)): \(RPCHex.quoted(start))")
        }
    }

    private static func describe(_ value: JSONRPCValue?) -> String {
        switch value {
        case nil: "missing"
        case .integer(let integer)?: "\(integer)"
        case .string(let text)?: RPCHex.quoted(text)
        case let other?: other.rpcKind
        }
    }
}
