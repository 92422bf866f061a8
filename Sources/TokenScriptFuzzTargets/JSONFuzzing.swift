import TokenScriptEthereum
import TokenScriptJSON
import TokenScriptRuntime

/// The JSON layer. The strict reader (`TokenScriptJSON`) reads any bytes or refuses them with an error; what
/// it reads, the canonical writer writes as bytes that read back to the same value and write again to the same
/// bytes. The other JSON readers still in use (the sandbox's `SandboxValue.parseJSON`, the Ethereum JSON ABI
/// reader) get the same bytes and must not trap.
enum JSONFuzzing {
    static func run(_ bytes: [UInt8]) {
        if let value = try? TokenScriptJSON.JSONValue(parsing: bytes) {
            guard let canonical = try? JSONWriter.canonical(value) else {
                preconditionFailure("the canonical writer refuses a value the reader accepted")
            }
            let reread = try? TokenScriptJSON.JSONValue(parsing: canonical)
            precondition(
                reread == value,
                "canonical JSON does not read back to its value: \(String(decoding: canonical, as: UTF8.self))")
            precondition(
                reread.flatMap { try? JSONWriter.canonical($0) } == canonical, "canonical JSON is not a fixed point")
        }
        let text = FuzzTarget.text(bytes)
        _ = try? SandboxValue.parseJSON(text)
        _ = try? ABIContract(json: text)
    }
}
