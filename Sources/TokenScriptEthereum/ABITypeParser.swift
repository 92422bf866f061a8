/// Parses type strings such as `uint`, `bytes32`, `(uint256,string)[2][]`.
///
/// Accepts the aliases `uint`/`int` (→ 256 bits) and `tuple` syntax only in parenthesised form; refuses
/// what Solidity refuses (`uint7`, `bytes33`, `T[0]`) and `fixed`/`function`, which TokenScript never
/// uses. Nesting is bounded so a hostile type string cannot exhaust the stack.
extension ABIType {
    /// The deepest array/tuple nesting a type may have.
    public static let maximumDepth = 32
    /// The largest inline (head) size of a static type, 16 MiB.
    public static let maximumStaticSize = 1 << 24

    /// Applies an array suffix such as `[2][]` to `base`; JSON ABIs spell tuple arrays as `tuple[2][]`.
    public init(base: ABIType, arraySuffix: String) throws(ABITypeError) {
        var parser = ABITypeParser(text: Array(arraySuffix.utf8), source: arraySuffix)
        let type = try parser.parseArraySuffixes(of: base, depth: base.depth - 1)
        guard parser.position == parser.text.count else { throw parser.error("unexpected characters") }
        self = type
    }

    public init(parsing text: String) throws(ABITypeError) {
        var parser = ABITypeParser(text: Array(text.utf8), source: text)
        let type = try parser.parseType(depth: 0)
        guard parser.position == parser.text.count else { throw parser.error("unexpected characters") }
        self = type
    }

    /// An elementary type name (no arrays, no tuples), or nil.
    static func elementary(_ name: String) -> ABIType? {
        switch name {
        case "address": return .address
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "uint": return .uint256
        case "int": return .int256
        default: break
        }
        for (prefix, make) in [("uint", { ABIType.uint(bits: $0) }), ("int", { ABIType.int(bits: $0) })]
        where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count)
            guard !digits.hasPrefix("0"), let bits = Int(digits), bits >= 8, bits <= 256, bits % 8 == 0 else {
                return nil
            }
            return make(bits)
        }
        if name.hasPrefix("bytes") {
            let digits = name.dropFirst(5)
            guard !digits.hasPrefix("0"), let size = Int(digits), (1...32).contains(size) else { return nil }
            return .fixedBytes(size)
        }
        return nil
    }
}

/// A type string that is not a supported ABI type.
public struct ABITypeError: Error, Hashable, Sendable, CustomStringConvertible {
    public let text: String
    public let position: Int
    public let reason: String

    public var description: String { "invalid ABI type \"\(text)\" at character \(position): \(reason)" }
}

private struct ABITypeParser {
    let text: [UInt8]
    let source: String
    var position = 0

    init(text: [UInt8], source: String) {
        self.text = text
        self.source = source
    }

    func error(_ reason: String) -> ABITypeError { ABITypeError(text: source, position: position, reason: reason) }

    mutating func parseType(depth: Int) throws(ABITypeError) -> ABIType {
        guard depth < ABIType.maximumDepth else { throw error("nested deeper than \(ABIType.maximumDepth)") }
        var type: ABIType
        if position < text.count, text[position] == UInt8(ascii: "(") {
            position += 1
            var components: [ABIType] = []
            if position < text.count, text[position] == UInt8(ascii: ")") {
                throw error("empty tuple")
            }
            while true {
                components.append(try parseType(depth: depth + 1))
                guard position < text.count else { throw error("unterminated tuple") }
                let separator = text[position]
                position += 1
                if separator == UInt8(ascii: ")") { break }
                guard separator == UInt8(ascii: ",") else { position -= 1; throw error("expected , or )") }
            }
            type = .tuple(components)
            guard type.isDynamic || type.headSize <= ABIType.maximumStaticSize else {
                throw error("static size exceeds \(ABIType.maximumStaticSize) bytes")
            }
        } else {
            let start = position
            while position < text.count, isNameCharacter(text[position]) { position += 1 }
            let name = String(decoding: text[start..<position], as: UTF8.self)
            guard !name.isEmpty else { throw error("expected a type") }
            guard let elementary = ABIType.elementary(name) else {
                position = start
                throw error("unknown type \(name)")
            }
            type = elementary
        }
        return try parseArraySuffixes(of: type, depth: depth)
    }

    /// Applies `[]` and `[k]` suffixes, innermost first, as Solidity reads `T[2][]` (a dynamic array of pairs).
    mutating func parseArraySuffixes(of base: ABIType, depth: Int) throws(ABITypeError) -> ABIType {
        var type = base
        var arrayDepth = depth
        while position < text.count, text[position] == UInt8(ascii: "[") {
            arrayDepth += 1
            guard arrayDepth < ABIType.maximumDepth else { throw error("nested deeper than \(ABIType.maximumDepth)") }
            position += 1
            let start = position
            while position < text.count, (48...57).contains(text[position]) { position += 1 }
            guard position < text.count, text[position] == UInt8(ascii: "]") else { throw error("expected ]") }
            if start == position {
                type = .array(type)
            } else {
                let digits = String(decoding: text[start..<position], as: UTF8.self)
                guard !digits.hasPrefix("0"), let count = Int(digits), count <= 1 << 20 else {
                    position = start
                    throw error("array size must be 1…\(1 << 20)")
                }
                // Bound the inline size so a type like uint256[1000000][1000000] cannot overflow or allocate.
                let (size, overflow) = type.headSize.multipliedReportingOverflow(by: count)
                guard !overflow, size <= ABIType.maximumStaticSize else {
                    position = start
                    throw error("static size exceeds \(ABIType.maximumStaticSize) bytes")
                }
                type = .fixedArray(type, count)
            }
            position += 1
        }
        return type
    }

    private func isNameCharacter(_ character: UInt8) -> Bool {
        (97...122).contains(character) || (65...90).contains(character) || (48...57).contains(character)
    }
}
