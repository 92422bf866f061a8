import TokenScriptArithmetic

/// An ASN.1 GeneralizedTime (`20261122043900Z`, `20261122043900+0100`), the value type of syntax OID …24.
///
/// Parsed by hand because the evaluation centre has no Foundation. The original text is kept, since
/// that is what a card shows and what a filter literal is written in. The fields can only be set by the two
/// initialisers, which check every range, so `unixSeconds` and comparisons never overflow.
public struct GeneralizedTime: Hashable, Sendable, CustomStringConvertible {
    public private(set) var year: Int
    public private(set) var month: Int
    public private(set) var day: Int
    public private(set) var hour: Int
    public private(set) var minute: Int
    public private(set) var second: Int
    /// Offset from UTC in minutes; nil for a local time without a zone (treated as UTC when compared).
    public private(set) var utcOffsetMinutes: Int?
    /// The text as written, or the canonical `yyyyMMddHHmmssZ` form for a converted Unix time.
    public private(set) var text: String

    /// Parses `yyyyMMddHH[mm[ss[.fff]]][Z|±hhmm]`; nil when any field is out of range.
    public init?(_ text: String) {
        let scalars = Array(text.utf8)
        var position = 0
        func number(_ count: Int) -> Int? {
            guard position + count <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[position..<position + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            position += count
            return value
        }
        guard let year = number(4), let month = number(2), let day = number(2), let hour = number(2) else { return nil }
        let minute = number(2) ?? 0
        let second = number(2) ?? 0
        if position < scalars.count, scalars[position] == 46 || scalars[position] == 44 {  // . or , fraction: ignored
            position += 1
            while position < scalars.count, (48...57).contains(scalars[position]) { position += 1 }
        }
        var offset: Int?
        if position < scalars.count {
            switch scalars[position] {
            case 90:  // Z
                offset = 0
                position += 1
            case 43, 45:  // + -
                let sign = scalars[position] == 45 ? -1 : 1
                position += 1
                guard let hours = number(2), let minutes = number(2), hours < 24, minutes < 60 else { return nil }
                offset = sign * (hours * 60 + minutes)
            default:
                return nil
            }
        }
        guard position == scalars.count, (1...12).contains(month),
            (1...Self.days(inMonth: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (
            year, month, day, hour, minute, second
        )
        self.utcOffsetMinutes = offset
        self.text = text
    }

    /// The Unix times the text form can write: 0000-01-01T00:00:00Z through 9999-12-31T23:59:59Z.
    public static let unixSecondsRange: ClosedRange<Int64> =
        days(fromCivil: 0, 1, 1) * 86_400...days(fromCivil: 9999, 12, 31) * 86_400 + 86_399

    /// The UTC time `seconds` after 1970-01-01, for integer origins whose syntax is GeneralizedTime.
    ///
    /// The seconds come from outside (a contract's answer, a user's entry), so a time the four-digit year
    /// cannot write is an error naming `field`, not a trap in the calendar arithmetic.
    public init(unixSeconds seconds: Int64, field: String = "unixSeconds") throws(NumberRangeError) {
        guard Self.unixSecondsRange.contains(seconds) else {
            throw NumberRangeError(
                field: field, value: "\(seconds)",
                range: "years 0000…9999, \(Self.unixSecondsRange.lowerBound)…\(Self.unixSecondsRange.upperBound)")
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let (year, month, day) = Self.civil(fromDays: days)
        (self.year, self.month, self.day) = (year, month, day)
        (hour, minute, second) = (rest / 3600, rest % 3600 / 60, rest % 60)
        utcOffsetMinutes = 0
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
        }
        text = pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2) + "Z"
    }

    /// Seconds since 1970-01-01T00:00:00Z; a time without a zone counts as UTC.
    public var unixSeconds: Int64 {
        let days = Self.days(fromCivil: year, month, day)
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64((utcOffsetMinutes ?? 0) * 60)
    }

    public var description: String { text }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = Int64((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `days(fromCivil:)` (Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0), month, day)
    }
}

extension GeneralizedTime: Comparable {
    /// Chronological order; equal instants written differently are ordered by their text.
    public static func < (lhs: GeneralizedTime, rhs: GeneralizedTime) -> Bool {
        (lhs.unixSeconds, lhs.text) < (rhs.unixSeconds, rhs.text)
    }
}
