/// The reason a call reverted, decoded from the revert data a node returns (`error.data`).
///
/// Solidity's `require(…, "message")` produces `Error(string)`, checked arithmetic and asserts
/// produce `Panic(uint256)`; anything else is a custom error identified only by its selector here.
public enum ABIRevert: Hashable, Sendable {
    case error(String)
    case panic(UInt256)
    case custom(selector: [UInt8], data: [UInt8])
    /// No data at all: `revert()` or an out-of-gas style failure.
    case empty

    static let errorFunction = ABIFunction(name: "Error", inputs: [.string])
    static let panicFunction = ABIFunction(name: "Panic", inputs: [.uint256])

    /// Decodes revert data; malformed `Error`/`Panic` payloads are reported as custom errors, not thrown,
    /// since a revert is already the failure being reported.
    public init(data: [UInt8]) {
        guard data.count >= 4 else {
            self = data.isEmpty ? .empty : .custom(selector: data, data: [])
            return
        }
        let selector = Array(data.prefix(4))
        if selector == Self.errorFunction.selector,
            case .string(let message)? = try? Self.errorFunction.decodeCall(data).first
        {
            self = .error(message)
        } else if selector == Self.panicFunction.selector,
            case .uint(let code)? = try? Self.panicFunction.decodeCall(data).first
        {
            self = .panic(code)
        } else {
            self = .custom(selector: selector, data: Array(data.dropFirst(4)))
        }
    }
}
