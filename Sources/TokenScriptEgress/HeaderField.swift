/// The rule for request headers a token supplies: checked where an effect request is built, and again by
/// the transport before anything is sent (a journaled request is read back from disk).
///
/// A name must be an RFC 9110 token; a value may hold visible ASCII, spaces, tabs and bytes ≥ 0x80, but no
/// other control character (CR and LF would end the header and let a token write its own headers or a
/// second request; NUL truncates in C code). Headers that frame the message or the connection are the
/// transport's alone: a token setting `Host`, `Content-Length` or `Transfer-Encoding` could smuggle a
/// request past a proxy or reach another virtual host than the one checked.
public enum HeaderField {
    /// Why a header is refused; the description names the header.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var reason: String
        public var description: String { "header \(EgressURL.quoted(name)): \(reason)" }
    }

    /// Names the transport sets itself (lower-cased).
    public static let reservedNames: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
        "expect", "proxy-connection", "proxy-authorization",
    ]

    public static func validate(name: String, value: String) throws(Invalid) {
        guard !name.isEmpty else { throw Invalid(name: name, reason: "the name is empty") }
        if let byte = name.utf8.first(where: { !$0.isTokenCharacter }) {
            throw Invalid(name: name, reason: "the name contains \(describe(byte)); names are RFC 9110 tokens")
        }
        if reservedNames.contains(name.lowercased()) {
            throw Invalid(name: name, reason: "set by the transport, not by the request")
        }
        if let byte = value.utf8.first(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            throw Invalid(name: name, reason: "the value contains \(describe(byte))")
        }
    }

    /// Checks every header, in name order (so the error names the same header each time).
    public static func validate(_ headers: [String: String]) throws(Invalid) {
        for name in headers.keys.sorted() { try validate(name: name, value: headers[name]!) }
    }

    static func describe(_ byte: UInt8) -> String {
        switch byte {
        case 0x0D: "CR (0x0d)"
        case 0x0A: "LF (0x0a)"
        case 0x00: "NUL (0x00)"
        default: "the byte 0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
    }
}

extension UInt8 {
    /// RFC 9110 `tchar`.
    var isTokenCharacter: Bool {
        isLetterDigitHyphen || Array("!#$%&'*+.^_`|~".utf8).contains(self)
    }
}
