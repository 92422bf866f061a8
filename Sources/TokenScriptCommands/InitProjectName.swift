/// The token name `tokenscript init` uses for `ts:token name=`, the contract, `NAME.xml` and `NAME.tests/`.
///
/// An ASCII XML NCName (letters, digits, `-`, `_`, `.`; starting with a letter or `_`), so it is valid both as
/// the schema's `NCName`/`ID` and as a file name on every platform, and needs no escaping in the templates.
enum InitProjectName {
    static let maximumLength = 64

    /// Whether `name` can be used as it is (`--name` is checked, never changed).
    static func isValid(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= maximumLength else { return false }
        return (isLetter(first) || first == UInt8(ascii: "_")) && name.utf8.allSatisfy(isNameByte)
    }

    /// The default name from a directory's last component: other characters become `-` (runs collapsed), a
    /// leading digit, `-` or `.` is preceded by `token-`, and an empty result is `token`.
    static func sanitised(_ component: String) -> String {
        var bytes: [UInt8] = []
        for byte in component.utf8 {
            let kept = isNameByte(byte) ? byte : UInt8(ascii: "-")
            if kept == UInt8(ascii: "-"), bytes.last == kept { continue }
            bytes.append(kept)
        }
        while let last = bytes.last, last == UInt8(ascii: "-") || last == UInt8(ascii: ".") { bytes.removeLast() }
        while let first = bytes.first, first == UInt8(ascii: "-") { bytes.removeFirst() }
        var name = String(decoding: bytes.prefix(maximumLength - "token-".count), as: UTF8.self)
        if name.isEmpty { return "token" }
        if let first = name.utf8.first, !isLetter(first), first != UInt8(ascii: "_") { name = "token-" + name }
        return name
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }
}
