import TokenScriptModel
import TokenScriptRuntime

/// The values a server attribute of each declared type may hold, in the form Lua sees and the state hash covers.
///
/// One representation per type, so two replicas that agree on the meaning also agree on the bytes:
/// `time` is an integer of Unix seconds (never the ISO text it was written as), `integer` is a Lua integer
/// (an integral float from Lua arithmetic such as `a / 2` is normalised to one), `json` is any value.
public enum AttributeTyping {
    /// Why a value does not fit an attribute's type; the message names the attribute.
    public struct Mismatch: Error, Sendable, Hashable, CustomStringConvertible {
        public enum Reason: Sendable, Hashable {
            /// `initial="text"` is not a value of `type`.
            case initialValue(attribute: String, text: String, type: String)
            /// A transition gave `value` (canonical JSON) for an attribute of `type`.
            case transitionValue(attribute: String, type: String, value: String)
        }

        public var reason: Reason

        init(_ reason: Reason) { self.reason = reason }

        public var description: String {
            switch reason {
            case .initialValue(let attribute, let text, let type):
                "attribute \(attribute): initial value \"\(text)\" is not a \(type)"
            case .transitionValue(let attribute, let type, let value):
                "attribute \(attribute) is \(type), the transition gave \(value)"
            }
        }
    }

    /// The value `initial=` denotes, or nil when the attribute starts absent.
    static func initialValue(of attribute: ServerAttribute) throws(Mismatch) -> SandboxValue? {
        guard let text = attribute.initial else { return nil }
        func fail() -> Mismatch {
            Mismatch(.initialValue(attribute: attribute.name, text: text, type: attribute.type.rawValue))
        }
        switch attribute.type {
        case .string: return .string(text)
        case .integer:
            guard let number = Int64(trimmed(text)) else { throw fail() }
            return .int(number)
        case .boolean:
            switch trimmed(text) {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: throw fail()
            }
        case .time:
            guard let seconds = unixSeconds(iso: String(trimmed(text))) else { throw fail() }
            return .int(seconds)
        case .json:
            guard let value = try? SandboxValue.parseJSON(text) else { throw fail() }
            return value
        }
    }

    /// `text` without leading and trailing blanks (tab and the Unicode space separators, Foundation's
    /// `.whitespaces`), as `initial=" 3 "` may carry them.
    static func trimmed(_ text: String) -> Substring {
        let isBlank: (Character) -> Bool = { character in
            character.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
        }
        let start = text.firstIndex { !isBlank($0) } ?? text.endIndex
        let end = text.lastIndex { !isBlank($0) }.map(text.index(after:)) ?? start
        return text[start..<end]
    }

    /// `value` in the attribute's one representation, or a mismatch.
    public static func checked(_ value: SandboxValue, for attribute: ServerAttribute) throws(Mismatch) -> SandboxValue {
        func fail() -> Mismatch {
            Mismatch(.transitionValue(attribute: attribute.name, type: attribute.type.rawValue, value: value.jsonText))
        }
        switch (attribute.type, value) {
        case (.string, .string): return value
        case (.boolean, .bool): return value
        case (.integer, .int), (.time, .int): return value
        case (.integer, .double(let number)), (.time, .double(let number)):
            guard number.isFinite, number == number.rounded(), abs(number) < 9.2e18 else { throw fail() }
            return .int(Int64(number))
        case (.json, _): return value
        default: throw fail()
        }
    }

    /// Unix seconds of an ISO 8601 timestamp with a zone (`2026-03-01T08:00:00Z`, `…+01:00`); fractions
    /// of a second are dropped. Nil when `ISOTimestamp.isValid` refuses the text.
    static func unixSeconds(iso text: String) -> Int64? {
        guard ISOTimestamp.isValid(text) else { return nil }
        let c = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int64 {
            c[from..<(from + count)].reduce(0) { $0 * 10 + Int64($1 - 48) }
        }
        let year = number(0, 4), month = number(5, 2), day = number(8, 2)
        let hour = number(11, 2), minute = number(14, 2), second = number(17, 2)
        // Days from civil (Howard Hinnant's algorithm), exact for the proleptic Gregorian calendar.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        var seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        var index = 19
        if c[index] == 46 {  // "."
            index += 1
            while index < c.count, c[index] >= 48 && c[index] <= 57 { index += 1 }
        }
        if c[index] == 43 || c[index] == 45 {  // "+" / "-"
            let offset = number(index + 1, 2) * 3600 + number(index + 4, 2) * 60
            seconds += c[index] == 43 ? -offset : offset
        }
        return seconds
    }
}
