import Foundation
import TokenScriptArithmetic
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC

/// Bytes of a hex literal the test itself wrote or read from the manifest.
func bytes(_ hex: String) -> [UInt8] {
    guard let decoded = Hex.decode(hex) else { fatalError("bad hex in test: \(hex)") }
    return decoded
}

/// The `ChainError` an operation throws, or nil when it succeeds.
func chainError<T>(_ operation: () async throws(ChainError) -> T) async -> ChainError? {
    do {
        _ = try await operation()
        return nil
    } catch {
        return error
    }
}

extension ChainError {
    /// The message of a `.malformedResponse`, nil for every other case.
    var malformedMessage: String? {
        if case .malformedResponse(let message) = self { message } else { nil }
    }
}

let someContract = EthereumAddress("0xF2E246BB76DF876Cef8b38ae84130F4F55De395b")!

/// Options for scripted servers: short deadline and backoff so failure paths take milliseconds.
let fastOptions = JSONRPCClientOptions(timeout: 0.3, retries: 2, backoff: 0.01)

/// For tests about what an answer says, not about timing: a loaded CI machine can take longer than 0.3 s
/// to answer, and a retry would then consume the next scripted reply.
let patientOptions = JSONRPCClientOptions(timeout: 30, retries: 0, backoff: 0.01)

/// A JSON-RPC success answer with id 1.
func success(_ result: String, id: Int = 1) -> String { #"{"jsonrpc":"2.0","id":\#(id),"result":\#(result)}"# }

/// A JSON-RPC error answer with id 1.
func failure(code: Int, message: String, data: String? = nil, id: Int = 1) -> String {
    let dataMember = data.map { #","data":\#($0)"# } ?? ""
    return #"{"jsonrpc":"2.0","id":\#(id),"error":{"code":\#(code),"message":"\#(message)"\#(dataMember)}}"#
}

/// Revert data for `Error(string)` as Solidity and Vyper produce it.
func errorStringRevert(_ reason: String) -> [UInt8] {
    try! ABIFunction(name: "Error", inputs: [.string]).encodeCall([.string(reason)])
}
