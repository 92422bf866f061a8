/// A filter literal that writes a time without a zone, down to some field only: `2023` (a year), `202306`
/// (a month), `20230601` (a day), then hour, minute and second (`20230601123045`).
///
/// `expiry>2023` means "expires after the year 2023", not "after the text 2023": AlphaWallet's iOS
/// runtime cuts the attribute's time, written `yyyyMMddHHmmss` in its own zone, to the literal's length and
/// compares the two as text. Of equal length and all digits, text order is time order, so this compares the
/// fields down to the literal's precision, on the value's own wall clock. A literal with a zone (`…Z`,
/// `…+0100`) is an instant instead and is compared chronologically by `SelectionEvaluation`.
struct PartialTimeLiteral {
    /// The literal's digits, 4 to 14 of them, an even count.
    let digits: String

    /// Whether `text` is 4, 6, 8, 10, 12 or 14 digits: a date at some precision, if its fields are in range.
    static func hasDateShape(_ text: String) -> Bool {
        let bytes = text.utf8
        return bytes.count >= 4 && bytes.count <= 14 && bytes.count % 2 == 0
            && bytes.allSatisfy { (48...57).contains($0) }
    }

    /// Nil unless `text` has a date's shape and its month, day, hour, minute and second are in range.
    init?(_ text: String) {
        guard Self.hasDateShape(text) else { return nil }
        let bytes = Array(text.utf8)
        func field(_ offset: Int, _ width: Int) -> Int? {
            guard offset + width <= bytes.count else { return nil }
            return bytes[offset..<offset + width].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        let year = field(0, 4)!
        if let month = field(4, 2) {
            guard (1...12).contains(month) else { return nil }
            if let day = field(6, 2), !(1...GeneralizedTime.days(inMonth: month, year: year)).contains(day) {
                return nil
            }
        }
        if let hour = field(8, 2), hour > 23 { return nil }
        if let minute = field(10, 2), minute > 59 { return nil }
        if let second = field(12, 2), second > 60 { return nil }
        digits = text
    }

    /// `time`'s wall-clock digits (`yyyyMMddHHmmss` in its own zone) cut to this literal's precision.
    func truncated(_ time: GeneralizedTime) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let full =
            pad(time.year, 4) + pad(time.month, 2) + pad(time.day, 2) + pad(time.hour, 2) + pad(time.minute, 2)
            + pad(time.second, 2)
        return String(full.prefix(digits.count))
    }
}
