/// Finds columns in the document's bytes, which libxml2 does not record for elements.
///
/// Built only when a diagnostic needs a column; one pass indexes the line starts.
public struct SourceText: Sendable {
    private let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// The 1-based column (in characters) of `<name` on `line`, or 1 when it is not there
    /// (an element that came from an entity file, or a start tag split oddly).
    public func column(ofTag qualifiedName: String, line: Int) -> Int {
        guard line >= 1, line <= lineStarts.count else { return 1 }
        let start = lineStarts[line - 1]
        let end = line < lineStarts.count ? lineStarts[line] : bytes.count
        let needle = Array(("<" + qualifiedName).utf8)
        guard needle.count <= end - start else { return 1 }
        var offset = start
        while offset + needle.count <= end {
            if bytes[offset] == needle[0], Array(bytes[offset..<(offset + needle.count)]) == needle {
                let following = offset + needle.count < bytes.count ? bytes[offset + needle.count] : 0x20
                if following == 0x20 || following == 0x3E || following == 0x2F || following == 0x09
                    || following == 0x0A || following == 0x0D
                {
                    return String(decoding: bytes[start..<offset], as: UTF8.self).count + 1
                }
            }
            offset += 1
        }
        return 1
    }
}
