import Foundation
import Testing
import TokenScriptArithmetic
import TokenScriptEthereum
import TokenScriptTesting

/// The committed vectors under `Fixtures/abi-vectors/`, written by `scripts/abi-vectors/generate.py`.
enum Vectors {
    static func load(_ name: String) -> [String: Any] {
        let path = TestPaths.fixtures + "/abi-vectors/" + name
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { fatalError("missing or unreadable \(path); run scripts/abi-vectors/generate.py") }
        return object
    }

    // Read-only after loading; JSONSerialization's output is not Sendable.
    nonisolated(unsafe) static let keccak = load("keccak-vectors.json")
    nonisolated(unsafe) static let abi = load("abi-vectors.json")

    /// The 0..300-byte messages of the ramp vectors: byte i is i mod 251.
    static func ramp(_ length: Int) -> [UInt8] { (0..<length).map { UInt8($0 % 251) } }

    /// A JSON-form value (see generate.py) as an `ABIValue` of `type`.
    static func value(_ json: Any, as type: ABIType) -> ABIValue {
        switch type {
        case .uint: return .uint(UInt256(decimal: json as! String)!)
        case .int: return .int(Int256(json as! String)!)
        case .bool: return .bool(json as! Bool)
        case .address: return .address(EthereumAddress(json as! String)!)
        case .fixedBytes: return .fixedBytes(Hex.decode(json as! String)!)
        case .bytes: return .bytes(Hex.decode(json as! String)!)
        case .string: return .string(json as! String)
        case .array(let element), .fixedArray(let element, _):
            return .array((json as! [Any]).map { value($0, as: element) })
        case .tuple(let components, _):
            return .tuple(zip(json as! [Any], components).map { value($0, as: $1) })
        }
    }
}

/// One encode/decode case.
struct ABICase: CustomTestStringConvertible, Sendable {
    let name: String
    let types: [String]
    let encoded: String
    let valuesJSON: String  // kept as text so the case stays Sendable

    var testDescription: String { name }

    static let all: [ABICase] = (Vectors.abi["cases"] as! [[String: Any]]).map { entry in
        let values = try! JSONSerialization.data(withJSONObject: entry["values"]!, options: [.fragmentsAllowed])
        return ABICase(
            name: entry["name"] as! String, types: entry["types"] as! [String],
            encoded: entry["encoded"] as! String, valuesJSON: String(decoding: values, as: UTF8.self))
    }

    var parsedTypes: [ABIType] { types.map { try! ABIType(parsing: $0) } }

    var values: [ABIValue] {
        let json = try! JSONSerialization.jsonObject(with: Data(valuesJSON.utf8)) as! [Any]
        return zip(json, parsedTypes).map { Vectors.value($0, as: $1) }
    }
}

/// One malformed encoding that eth-abi's strict decoder rejects.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    let name: String
    let types: [String]
    let data: String
    let reason: String

    var testDescription: String { name }

    static let all: [MalformedCase] = (Vectors.abi["malformed"] as! [[String: Any]]).map { entry in
        MalformedCase(
            name: entry["name"] as! String, types: entry["types"] as! [String],
            data: entry["data"] as! String, reason: entry["reason"] as! String)
    }
}
