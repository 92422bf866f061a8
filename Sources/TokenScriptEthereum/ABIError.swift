import TokenScriptArithmetic

/// Why a value could not be encoded as a type. `path` locates it: `2` is the third argument,
/// `2[1].0` the first component of its second element.
public struct ABIEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let type: String
    public let reason: String

    public var description: String { "cannot encode argument \(path) as \(type): \(reason)" }
}

/// Why data could not be decoded: the byte offset where the problem is, the type being read, and why.
///
/// Decoding is strict (as eth-abi's default): bad data is an error, never a guess, because these bytes
/// come from a node or a log that the runtime does not control.
public struct ABIDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// Needed `needed` bytes at the offset, only `available` were left.
        case truncated(needed: Int, available: Int)
        /// An offset that points into the head it belongs to or past the end of the data.
        case invalidOffset(UInt256)
        /// A length (of bytes, a string or an array) that the remaining data cannot hold.
        case invalidLength(UInt256)
        /// Padding bytes of a word, or after bytes/string contents, that are not zero (or, for `intN`, not a sign
        /// extension).
        case nonZeroPadding
        /// A `bool` word other than 0 or 1.
        case invalidBool
        /// A `string` whose bytes are not UTF-8.
        case invalidUTF8
        /// More values than the data could canonically encode: shared or looping tails.
        case tooManyValues(limit: Int)
        /// Calldata or a log whose selector / topic 0 belongs to another function or event.
        case wrongSignature([UInt8])
        /// A log with the wrong number of topics, or a topic that is not 32 bytes.
        case wrongTopics(expected: Int, actual: Int)
    }

    public let offset: Int
    public let type: String
    public let reason: Reason

    public var description: String {
        let why =
            switch reason {
            case .truncated(let needed, let available): "needs \(needed) bytes, only \(available) left"
            case .invalidOffset(let value): "offset \(value) points outside the tail"
            case .invalidLength(let value): "length \(value) exceeds the data"
            case .nonZeroPadding: "padding bytes are not zero"
            case .invalidBool: "boolean is neither 0 nor 1"
            case .invalidUTF8: "string is not valid UTF-8"
            case .tooManyValues(let limit): "more than \(limit) values; tails overlap or repeat"
            case .wrongSignature(let bytes): "\(Hex.encode(bytes)) identifies another function or event"
            case .wrongTopics(let expected, let actual): "expected \(expected) topics of 32 bytes, got \(actual)"
            }
        return "cannot decode \(type) at byte \(offset): \(why)"
    }
}
