import TokenScriptEthereum
import TokenScriptSandbox

/// The JSON layer: what one reader accepts, its writer must write back to the same value.
enum JSONFuzzing {
    static func run(_ bytes: [UInt8]) {
        let text = FuzzTarget.text(bytes)
        if let value = try? SandboxValue.parseJSON(text) {
            let written = value.jsonText
            let reread = try? SandboxValue.parseJSON(written)
            precondition(reread == value, "SandboxValue JSON does not read back its own output: \(written)")
        }
        _ = try? ABIContract(json: text)
    }
}
