import TokenScriptFileSystem
import TokenScriptJSON

/// A server's JSON config file, read the way the rest of the runtime reads JSON: strictly. A duplicate field
/// is an error with its line and column (a lenient parser keeps one of the two silently, and an operator
/// cannot tell which), an unknown field is named rather than ignored, and a field of the wrong type is named
/// with the type it needs. The service node and the anchoring node both read their files through it.
public struct ServerConfigFile: Sendable {
    /// Config files are a few hundred bytes; a megabyte is a wrong path, not a config.
    public static let maximumBytes = 1 << 20

    public let path: String
    private let members: [JSONKey: JSONValue]

    /// Reads `path`, a JSON object whose fields are all in `fields`.
    /// - Throws: `ServerConfigurationError` on field `--config` for an unreadable or malformed file (with line
    ///   and column), or on the unknown field's name.
    public init(path: String, fields: Set<String>) throws(ServerConfigurationError) {
        self.path = path
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(path, limit: Self.maximumBytes) } catch {
            throw ServerConfigurationError(field: "--config", message: "\(path): \(error.message)")
        }
        let value: JSONValue
        do { value = try JSONValue(parsing: bytes) } catch {
            throw ServerConfigurationError(field: "--config", message: "\(path), \(error)")
        }
        guard let members = value.objectValue else {
            throw ServerConfigurationError(field: "--config", message: "\(path) is not a JSON object")
        }
        if let unknown = members.keys.sorted().first(where: { !fields.contains($0.string) }) {
            throw ServerConfigurationError(field: unknown.string, message: "unknown field in \(path)")
        }
        self.members = members
    }

    /// The text of `field`, nil when absent.
    public func string(_ field: String) throws(ServerConfigurationError) -> String? {
        guard let value = members[JSONKey(field)] else { return nil }
        guard let text = value.stringValue else { throw mistyped(field, "a string", value) }
        return text
    }

    /// The list of texts in `field`, nil when absent.
    public func strings(_ field: String) throws(ServerConfigurationError) -> [String]? {
        guard let value = members[JSONKey(field)] else { return nil }
        guard let items = value.arrayValue else { throw mistyped(field, "a list of strings", value) }
        var texts: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw mistyped(field, "a list of strings", item) }
            texts.append(text)
        }
        return texts
    }

    /// The whole number in `field`, nil when absent (the caller checks its range, naming the field).
    public func integer(_ field: String) throws(ServerConfigurationError) -> Int64? {
        guard let value = members[JSONKey(field)] else { return nil }
        guard let number = value.integerValue else { throw mistyped(field, "a whole number", value) }
        return number
    }

    /// A count of whole seconds in `field` (0 or more), nil when absent.
    public func seconds(_ field: String) throws(ServerConfigurationError) -> UInt64? {
        guard let value = members[JSONKey(field)] else { return nil }
        guard let number = value.integerValue, number >= 0 else { throw mistyped(field, "whole seconds", value) }
        return UInt64(number)
    }

    private func mistyped(_ field: String, _ expected: String, _ value: JSONValue) -> ServerConfigurationError {
        ServerConfigurationError(field: field, message: "\(path): expected \(expected), got \(value.kind)")
    }
}

/// A server configuration (config file or flags) that cannot be used, naming `--config`, the field or the flag.
public struct ServerConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
