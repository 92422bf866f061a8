/// The `<?xml … ?>` at the start of a document or entity file (after an optional UTF-8 byte order mark).
///
/// Documents and entity files are parsed as UTF-8 whatever they declare, because the attribute scan reads
/// them as UTF-8 (`StartTagScan`); the declaration is read here only to warn about, or refuse, another encoding.
struct XMLDeclaration {
    /// The declared encoding, if any.
    var encoding: String?
    /// Bytes from the start of the file to the end of `?>`, byte order mark included.
    var length: Int

    init?(_ bytes: [UInt8]) {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let opening = Array("<?xml".utf8)
        guard bytes.count > start + opening.count, bytes[start..<(start + opening.count)].elementsEqual(opening),
            [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start + opening.count])
        else { return nil }
        var end = start + opening.count
        while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "?") && bytes[end + 1] == UInt8(ascii: ">")) {
            end += 1
        }
        guard end + 1 < bytes.count else { return nil }
        length = end + 2
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let range = text.range(of: "encoding") else {
            encoding = nil
            return
        }
        let after = text[range.upperBound...].drop { $0.isWhitespace || $0 == "=" }
        guard let quote = after.first, quote == "\"" || quote == "'" else {
            encoding = nil
            return
        }
        encoding = String(after.dropFirst().prefix { $0 != quote })
    }

    static func isUTF8(_ encoding: String) -> Bool {
        ["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding.lowercased())
    }
}
