/// Where a PostgreSQL store is: a `postgres://` URL read strictly, so a typo is an error naming the part, not a
/// connection to the wrong place.
///
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?schema=NAME&connections=N]` (or `postgresql://`). The host
/// may be a name, an IPv4 address or `[IPv6]`; the port defaults to 5432. `schema` puts every table in that schema
/// (created when missing), so one database can hold several independent stores (the tests give each its own);
/// `connections` caps the pool (default 20). Percent-escapes are decoded in the user, password and database. TLS is
/// not offered: the store is meant for a private network or a Unix-socket proxy (see the README).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var schema: String
    public var connections: Int

    public static let defaultSchema = "public"

    public init(
        user: String, password: String? = nil, host: String, port: Int = 5432, database: String,
        schema: String = defaultSchema, connections: Int = 20
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.schema = schema
        self.connections = connections
    }

    /// Reads `url`.
    /// - Throws: `PostgresStoreError.invalidURL` naming the part that is wrong.
    public init(url: String) throws(PostgresStoreError) {
        func refuse(_ part: String, _ reason: String) -> PostgresStoreError {
            .invalidURL(part: part, reason: reason)
        }
        let text = Substring(url)
        guard let schemeEnd = text.range(of: "://") else {
            throw refuse("scheme", "expected postgres://USER@HOST:PORT/DATABASE")
        }
        guard ["postgres", "postgresql"].contains(String(text[..<schemeEnd.lowerBound])) else {
            throw refuse("scheme", "expected postgres:// or postgresql://, got \(text[..<schemeEnd.lowerBound])://")
        }
        var rest = text[schemeEnd.upperBound...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else { throw refuse("database", "missing (…/DATABASE)") }
        let authority = rest[..<slash]
        let databaseText = rest[rest.index(after: slash)...]
        guard let at = authority.lastIndex(of: "@") else { throw refuse("user", "missing (USER@HOST)") }
        let userInfo = authority[..<at]
        var hostPort = authority[authority.index(after: at)...]
        let userText: Substring
        if let colon = userInfo.firstIndex(of: ":") {
            userText = userInfo[..<colon]
            password = try Self.decode(userInfo[userInfo.index(after: colon)...], part: "password")
        } else {
            userText = userInfo
            password = nil
        }
        user = try Self.decode(userText, part: "user")
        guard !user.isEmpty else { throw refuse("user", "empty") }
        var portText: Substring? = nil
        if hostPort.first == "[" {
            guard let close = hostPort.firstIndex(of: "]") else { throw refuse("host", "unclosed [") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw refuse("host", "unexpected \(after) after ]") }
                portText = after.dropFirst()
            }
        } else {
            if let colon = hostPort.lastIndex(of: ":") {
                portText = hostPort[hostPort.index(after: colon)...]
                hostPort = hostPort[..<colon]
            }
            host = String(hostPort)
        }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != 47 }) else {
            throw refuse("host", host.isEmpty ? "empty" : "not a host name or address: \(host)")
        }
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw refuse("port", "expected 1…65535, got \(portText)")
            }
            port = value
        } else {
            port = 5432
        }
        database = try Self.decode(databaseText, part: "database")
        guard !database.isEmpty else { throw refuse("database", "empty") }
        schema = Self.defaultSchema
        connections = 20
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count == 2 ? parts[1] : ""
            switch parts[0] {
            case "schema":
                guard Self.isPlainName(value) else {
                    throw refuse("schema", "expected letters, digits and _ (not starting with a digit), got \(value)")
                }
                schema = String(value)
            case "connections":
                guard let count = Int(value), (1...1000).contains(count) else {
                    throw refuse("connections", "expected 1…1000, got \(value)")
                }
                connections = count
            case "sslmode" where value == "disable":
                break
            default:
                throw refuse(String(parts[0]), "unknown parameter (known: schema, connections, sslmode=disable)")
            }
        }
    }

    /// The URL again, with the password left out: safe for logs, errors and manifests.
    public var description: String {
        rendered(user: user, password: password == nil ? nil : "***", database: database)
    }

    /// The full URL (password included, percent-escaped) of this location: what a process hands a child it starts
    /// on the same database, such as the devnet its nodes, each with a schema of its own.
    public var url: String {
        rendered(user: Self.escape(user), password: password.map(Self.escape), database: Self.escape(database))
    }

    /// `postgres://USER[:PASSWORD]@HOST:PORT/DATABASE[?…]` with the parts as given; parameters at their defaults
    /// are left out.
    private func rendered(user: String, password: String?, database: String) -> String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        var url = "postgres://\(user)\(password.map { ":" + $0 } ?? "")@\(shownHost):\(port)/\(database)"
        var parameters: [String] = []
        if schema != Self.defaultSchema { parameters.append("schema=\(schema)") }
        if connections != 20 { parameters.append("connections=\(connections)") }
        if !parameters.isEmpty { url += "?" + parameters.joined(separator: "&") }
        return url
    }

    /// `%XX` for every byte but letters, digits and `-._~`.
    private static func escape(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            let plain =
                (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte)
                || [45, 46, 95, 126].contains(byte)
            if plain {
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let digits = Array("0123456789ABCDEF".unicodeScalars)
                escaped += "%"
                escaped.unicodeScalars.append(digits[Int(byte >> 4)])
                escaped.unicodeScalars.append(digits[Int(byte & 0x0f)])
            }
        }
        return escaped
    }

    /// An SQL identifier that needs no quoting: what a schema name may be.
    static func isPlainName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
    }

    /// Decodes `%XX` escapes; a malformed escape or bytes that are not UTF-8 are refused.
    private static func decode(_ text: Substring, part: String) throws(PostgresStoreError) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == 37 else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .invalidURL(part: part, reason: "malformed percent-escape")
            }
            bytes.append(high << 4 | low)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self), !decoded.utf8.contains(0) else {
            throw .invalidURL(part: part, reason: "not UTF-8 text")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
