import Testing
import TokenScriptModel

/// Issue 8, class 1: durations whose arithmetic used to overflow are out-of-range errors, not traps.
@Suite("ISO durations out of range")
struct DurationRangeTests {
    @Test(
        "durations beyond a century are out of range; the parse never traps",
        arguments: [
            ("999,999,999,999 days", "P999999999999D"),
            ("999,999,999,999 hours", "PT999999999999H"),
            ("days plus hours, each alone too big", "P999999999999DT999999999999H"),
            ("999,999,999,999 seconds", "PT999999999999S"),
            ("one day past the cap", "P36501D"),
            ("cap plus a second", "P36500DT1S"),
        ] as [(String, String)])
    func outOfRange(label: String, text: String) {
        #expect(ISODuration(text) == nil, "\(label)")
        #expect(throws: ISODuration.ParseError.self, "\(label)") { try ISODuration(parsing: text) }
        do {
            _ = try ISODuration(parsing: text)
        } catch .outOfRange(let range) {
            #expect(range.description.contains("out of range"), "\(label)")
        } catch {
            Issue.record("\(label): \(error) is not outOfRange")
        }
    }

    @Test("the longest duration is accepted, and syntax errors stay syntax errors")
    func bounds() throws {
        #expect(try ISODuration(parsing: "P36500D").milliseconds == ISODuration.maximumMilliseconds)
        #expect(throws: ISODuration.ParseError.syntax) { try ISODuration(parsing: "P1Y") }
        #expect(throws: ISODuration.ParseError.syntax) { try ISODuration(parsing: "P9999999999999D") }  // 13 digits
        #expect(ISODuration.seconds(.max).milliseconds == ISODuration.maximumMilliseconds)
        #expect(ISODuration.seconds(-5).milliseconds == 0)
    }
}

/// `Character.isHexDigit` accepts fullwidth digits that `Int(_:radix:)` refuses: a mask of them used to
/// pass the parse and trap on the force-unwrap that computes its shift.
@Suite("Bitmask digits")
struct BitmaskDigitTests {
    @Test(
        "fullwidth and other non-ASCII hex digits are refused",
        arguments: ["ＦＦ", "0xＦ0", "ｆｆ00", "FF\u{FF10}"])
    func nonASCII(text: String) {
        #expect(Bitmask(text) == nil, "\(text)")
    }

    @Test("ASCII masks still parse, with their shift and width")
    func ascii() throws {
        let mask = try #require(Bitmask("0x00FF00"))
        #expect(mask.trailingZeroBits == 8)
        #expect(mask.setBits == 8)
    }
}
