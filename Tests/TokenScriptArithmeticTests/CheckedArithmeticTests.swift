import Testing
import TokenScriptArithmetic

/// The shared helpers every boundary converts outside numbers through: errors name the field, nothing traps.
@Suite("Checked arithmetic")
struct CheckedArithmeticTests {
    @Test(
        "integer conversions out of range are errors naming the field and the range",
        arguments: [
            (
                "issuedAt Int64.min into 0…2^63-1", Int64.min,
                "issuedAt: -9223372036854775808 is out of range (0…2^63-1)"
            ),
            ("-1 into 0…2^63-1", -1, "issuedAt: -1 is out of range (0…2^63-1)"),
        ] as [(String, Int64, String)])
    func integerOutOfRange(label: String, value: Int64, message: String) {
        #expect(throws: NumberRangeError.self, "\(label)") {
            _ = try CheckedConversion.integer(value, as: UInt64.self, field: "issuedAt", in: 0...UInt64(Int64.max))
        }
        do {
            _ = try CheckedConversion.integer(value, as: UInt64.self, field: "issuedAt", in: 0...UInt64(Int64.max))
        } catch {
            #expect(error.description == message, "\(label)")
        }
    }

    @Test(
        "doubles that are not finite whole numbers in range are refused",
        arguments: [
            ("infinity", Double.infinity), ("NaN", Double.nan), ("2^63", 9_223_372_036_854_775_808.0),
            ("fraction", 1.5), ("-infinity", -Double.infinity), ("1e300", 1e300),
        ] as [(String, Double)])
    func doubleConversions(label: String, value: Double) {
        #expect(throws: NumberRangeError.self, "\(label)") {
            _ = try CheckedConversion.integer(value, as: Int64.self, field: "x")
        }
    }

    @Test("finite() refuses NaN and infinities whatever the range")
    func finite() throws {
        #expect(throws: NumberRangeError.self) {
            _ = try CheckedConversion.finite(.infinity, field: "--timeout", in: 0...86_400)
        }
        #expect(throws: NumberRangeError.self) {
            _ = try CheckedConversion.finite(.nan, field: "--timeout", in: 0...86_400)
        }
        #expect(throws: NumberRangeError.self) {
            _ = try CheckedConversion.finite(1e12, field: "--timeout", in: 0...86_400)
        }
        #expect(try CheckedConversion.finite(2, field: "--timeout", in: 0...86_400) == 2)
    }

    @Test("saturating operations stop at the bounds instead of trapping or wrapping")
    func saturating() {
        #expect(Int64.max.saturatingAdding(1) == .max)
        #expect(Int64.min.saturatingAdding(-1) == .min)
        #expect(Int64.min.saturatingSubtracting(1) == .min)
        #expect(Int64.max.saturatingSubtracting(-1) == .max)
        #expect(UInt64.max.saturatingAdding(300) == .max)
        #expect(UInt64(0).saturatingSubtracting(1) == 0)
        #expect(Int64.max.saturatingMultiplied(by: 2) == .max)
        #expect(Int64.min.saturatingMultiplied(by: 2) == .min)
        #expect(Int64(-3).saturatingMultiplied(by: Int64.max) == .min)
        #expect(Int64(40).saturatingAdding(2) == 42)
    }

    @Test("seconds become nanoseconds without trapping on infinity, NaN or 1e12")
    func nanoseconds() {
        #expect(SaturatingTime.nanoseconds(seconds: .infinity) == .max)
        #expect(SaturatingTime.nanoseconds(seconds: 1e12) == .max)
        #expect(SaturatingTime.nanoseconds(seconds: .nan) == 0)
        #expect(SaturatingTime.nanoseconds(seconds: -5) == 0)
        #expect(SaturatingTime.nanoseconds(seconds: 2) == 2_000_000_000)
    }
}
