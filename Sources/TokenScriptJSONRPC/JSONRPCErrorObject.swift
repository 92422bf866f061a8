import TokenScriptJSON
import TokenScriptEvaluation

/// Turns a JSON-RPC `error` object into a `ChainError`, telling reverts from other failures.
///
/// A revert is an answer, not a fault: the contract said no, and its reason belongs in the attribute's
/// error. geth and anvil use code 3, our eth-tester node and many others -32000 with "execution
/// reverted"; some (Ganache, Hardhat) nest the revert bytes in an object, under `data` or `result`.
enum JSONRPCErrorObject {
    static let revertCode: Int64 = 3
    static let serverErrorCode: Int64 = -32000

    static func chainError(from error: JSONRPCValue) -> ChainError {
        guard case .object = error, case .integer(let code)? = error["code"] else {
            return .malformedResponse("error is not an object with an integer code")
        }
        guard case .string(let message)? = error["message"] else {
            return .malformedResponse("error \(code) has no message string")
        }
        let isRevert = code == revertCode || (code == serverErrorCode && message.lowercased().contains("revert"))
        guard isRevert else { return .rpc(code: Int(code), message: message) }
        do {
            return .reverted(data: try revertData(error["data"]), message: message)
        } catch {
            return error
        }
    }

    private static func revertData(_ value: JSONRPCValue?) throws(ChainError) -> [UInt8] {
        switch value {
        case nil, .null?: []
        case .string?: try RPCHex.data(value, field: "revert error.data")
        case .object?:
            if let nested = value?["data"] ?? value?["result"], case .string = nested {
                try RPCHex.data(nested, field: "revert error.data")
            } else {
                throw .malformedResponse("revert error.data: an object without hex data or result")
            }
        case let other?: throw .malformedResponse("revert error.data: expected hex data, got \(other.rpcKind)")
        }
    }
}
