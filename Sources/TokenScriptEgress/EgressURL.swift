/// An effect's URL as the egress policy reads it, and as the transport then sends it.
///
/// One strict parser serves the policy check and the connection, so the two can never disagree about
/// the host (the classic way round an allow list is a URL that one parser reads as `good.example` and
/// another as `169.254.169.254`). It accepts `http` and `https` only, printable ASCII only (no spaces,
/// controls, backslashes or raw UTF-8), no userinfo, no IPv6 zone, no percent-escapes in the host, and
/// refuses numeric hosts that are not a canonical dotted quad (`127.1`, `0x7f000001`, `2130706433`).
/// `canonical` rebuilds the URL from the parsed parts; that text is what the transport sends.
public struct EgressURL: Sendable, Hashable, CustomStringConvertible {
    public enum Host: Sendable, Hashable, CustomStringConvertible {
        /// A DNS name, lower-cased, without a trailing dot.
        case name(String)
        case address(IPAddress)

        public var description: String {
            switch self {
            case .name(let name): name
            case .address(let address): address.urlHost
            }
        }
    }

    /// `http` or `https`, lower-cased.
    public var scheme: String
    public var host: Host
    /// The port connected to: explicit, or 443 / 80.
    public var port: Int
    /// Whether the URL named the port (then `canonical` keeps it).
    public var explicitPort: Bool
    /// Path and query, starting with `/`; the fragment is dropped (it is never sent).
    public var target: String

    /// Why a URL could not be read; `EgressPolicy` turns it into a refusal.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws(Invalid) {
        func fail(_ reason: String) -> Invalid { Invalid(description: "URL \(Self.quoted(text)): \(reason)") }
        for (offset, byte) in text.utf8.enumerated() where byte < 0x21 || byte > 0x7E || byte == UInt8(ascii: "\\") {
            let what =
                byte == UInt8(ascii: "\\")
                ? "a backslash" : byte > 0x7E ? "a non-ASCII byte" : byte == 0x20 ? "a space" : "a control character"
            throw fail("\(what) at offset \(offset)")
        }
        guard let separator = text.firstRange(of: "://") else { throw fail("not an absolute http(s) URL") }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw fail("scheme \"\(scheme)\" is not allowed (only https, or http where the operator allows it)")
        }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        var target = String(afterScheme[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if !target.hasPrefix("/") { target = "/" + target }

        if authority.contains("@") { throw fail("userinfo (user:password@) is not allowed") }
        var hostText: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("unterminated IPv6 literal") }
            hostText = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the IPv6 literal") }
                portText = after.dropFirst()
            }
            if hostText.contains("%") { throw fail("IPv6 zone identifiers are not allowed") }
            guard let address = IPAddress(String(hostText)), address.isV6 else {
                throw fail("\"[\(hostText)]\" is not an IPv6 address")
            }
            host = .address(address)
        } else {
            if let colon = authority.firstIndex(of: ":") {
                hostText = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                hostText = authority
            }
            host = try Self.host(String(hostText), fail: fail)
        }
        self.scheme = scheme
        self.target = target
        if let portText {
            guard (1...5).contains(portText.utf8.count), portText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                let port = Int(portText), (1...65535).contains(port)
            else { throw fail("port \"\(portText)\" is not 1-65535") }
            self.port = port
            explicitPort = true
        } else {
            port = scheme == "https" ? 443 : 80
            explicitPort = false
        }
    }

    /// A host name (LDH labels, `_` allowed) or a canonical dotted quad. A name whose last label is
    /// numeric would be read as IPv4 by URL parsers that follow WHATWG, so it must be a dotted quad.
    static func host(_ text: String, fail: (String) -> Invalid) throws(Invalid) -> Host {
        guard !text.isEmpty else { throw fail("no host") }
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard let last = labels.last, !name.isEmpty, name.utf8.count <= 253 else {
            throw fail("host \"\(text)\" is not a DNS name")
        }
        let numeric =
            last.utf8.allSatisfy { (0x30...0x39).contains($0) }
            || (last.hasPrefix("0x") && last.dropFirst(2).utf8.allSatisfy(\.isHexDigit))
        if numeric {
            guard let value = IPAddress.parseV4(Substring(name)) else {
                throw fail("host \"\(text)\" is a non-canonical IPv4 form (write four decimal octets)")
            }
            return .address(.v4(value))
        }
        for label in labels {
            guard (1...63).contains(label.utf8.count),
                label.utf8.allSatisfy({ $0.isLetterDigitHyphen || $0 == UInt8(ascii: "_") }),
                label.first != "-", label.last != "-"
            else { throw fail("host \"\(text)\" is not a DNS name (letters, digits, hyphens; IDNs as xn--)") }
        }
        return .name(name)
    }

    /// The URL rebuilt from its parts: what is sent, so what was checked is what is connected to.
    public var canonical: String {
        let portPart = explicitPort && port != (scheme == "https" ? 443 : 80) ? ":\(port)" : ""
        return "\(scheme)://\(host)\(portPart)\(target)"
    }

    public var description: String { canonical }

    /// `text` in quotes, cut to 200 characters, with non-printable bytes as `\xNN` so a refusal shown
    /// on a terminal carries nothing it would interpret.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for byte in text.utf8.prefix(200) {
            if byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                result += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            } else {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return result + (text.utf8.count > 200 ? "…\"" : "\"")
    }
}

extension UInt8 {
    var isLetterDigitHyphen: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) || self == 0x2D
    }
}
