import TokenScriptJSON

/// The functions and events of a JSON ABI, as found in a TokenScript `ts:contract/ts:abi`.
///
/// Reads the standard Solidity JSON ABI: an array of entries (a single entry object is accepted too),
/// each with `type` (`function` when absent, as in old compilers' output), `name`, `inputs`,
/// `outputs`, `anonymous`, and `components` for tuple types (`tuple`, `tuple[]`, `tuple[2][]`).
/// Constructors, fallbacks and errors are skipped.
public struct ABIContract: Hashable, Sendable {
    public var functions: [ABIFunction]
    public var events: [ABIEvent]

    public init(functions: [ABIFunction] = [], events: [ABIEvent] = []) {
        self.functions = functions
        self.events = events
    }

    public init(json text: String) throws(ABIJSONError) {
        let root: JSONValue
        do { root = try JSONValue(parsing: text) } catch {
            throw ABIJSONError(
                entry: nil, reason: "not JSON: \(error.reason) at line \(error.line), column \(error.column)")
        }
        let entries = root.arrayValue ?? [root]
        var functions: [ABIFunction] = []
        var events: [ABIEvent] = []
        for (index, entry) in entries.enumerated() {
            guard case .object = entry else { throw ABIJSONError(entry: index, reason: "entry is not an object") }
            let kind = entry["type"]?.stringValue ?? "function"
            guard kind == "function" || kind == "event" else { continue }
            guard let name = entry["name"]?.stringValue, !name.isEmpty else {
                throw ABIJSONError(entry: index, reason: "\(kind) without a name")
            }
            let inputs = try Self.parameters(entry["inputs"], entry: index)
            if kind == "function" {
                let mutability =
                    entry["stateMutability"]?.stringValue
                    ?? (entry["constant"]?.boolValue == true ? "view" : "nonpayable")
                functions.append(
                    ABIFunction(
                        name: name, inputs: inputs, outputs: try Self.parameters(entry["outputs"], entry: index),
                        stateMutability: mutability))
            } else {
                events.append(ABIEvent(name: name, inputs: inputs, isAnonymous: entry["anonymous"]?.boolValue ?? false))
            }
        }
        self.init(functions: functions, events: events)
    }

    /// The first function with this name; TokenScript names functions without their argument types.
    public func function(named name: String) -> ABIFunction? { functions.first { $0.name == name } }

    /// Every overload with this name.
    public func functions(named name: String) -> [ABIFunction] { functions.filter { $0.name == name } }

    public func event(named name: String) -> ABIEvent? { events.first { $0.name == name } }

    private static func parameters(_ value: JSONValue?, entry: Int) throws(ABIJSONError) -> [ABIParameter] {
        guard let value, value != .null else { return [] }
        guard let items = value.arrayValue else {
            throw ABIJSONError(entry: entry, reason: "inputs/outputs is not an array")
        }
        var result: [ABIParameter] = []
        for item in items {
            result.append(try parameter(item, entry: entry, depth: 0))
        }
        return result
    }

    private static func parameter(_ item: JSONValue, entry: Int, depth: Int) throws(ABIJSONError) -> ABIParameter {
        guard let typeText = item["type"]?.stringValue else {
            throw ABIJSONError(entry: entry, reason: "parameter without a type")
        }
        let name = item["name"]?.stringValue ?? ""
        let indexed = item["indexed"]?.boolValue ?? false
        do {
            guard typeText.hasPrefix("tuple") else {
                return ABIParameter(name: name, type: try ABIType(parsing: typeText), isIndexed: indexed)
            }
            guard depth < ABIType.maximumDepth, let components = item["components"]?.arrayValue, !components.isEmpty
            else {
                throw ABIJSONError(entry: entry, reason: "tuple \(name) without components, or nested too deeply")
            }
            var types: [ABIType] = []
            var names: [String] = []
            for component in components {
                let parsed = try parameter(component, entry: entry, depth: depth + 1)
                types.append(parsed.type)
                names.append(parsed.name)
            }
            let type = try ABIType(base: .tuple(types, names: names), arraySuffix: String(typeText.dropFirst(5)))
            return ABIParameter(name: name, type: type, isIndexed: indexed)
        } catch let error as ABITypeError {
            throw ABIJSONError(entry: entry, reason: error.description)
        } catch let error as ABIJSONError {
            throw error
        } catch {
            throw ABIJSONError(entry: entry, reason: "\(error)")
        }
    }
}

/// A JSON ABI that cannot be read; `entry` is the index of the offending entry.
public struct ABIJSONError: Error, Hashable, Sendable, CustomStringConvertible {
    public let entry: Int?
    public let reason: String

    public var description: String { "invalid JSON ABI" + (entry.map { " entry \($0)" } ?? "") + ": " + reason }
}
