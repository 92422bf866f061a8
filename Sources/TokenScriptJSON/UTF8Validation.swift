/// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates (U+D800…U+DFFF), nothing above U+10FFFF.
enum UTF8Validation {
    static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        while let lead = iterator.next() {
            if lead < 0x80 { continue }
            guard let length = sequenceLength(lead: lead) else { return false }
            var continuation: [UInt8] = []
            for _ in 1..<length {
                guard let byte = iterator.next() else { return false }
                continuation.append(byte)
            }
            guard isValidSequence(lead: lead, continuation) else { return false }
        }
        return true
    }

    /// How many bytes a sequence starting with `lead` (≥ 0x80) has, or nil for a byte that cannot start one.
    static func sequenceLength(lead: UInt8) -> Int? {
        switch lead {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: nil
        }
    }

    /// Whether `lead` and its continuation bytes form one valid, shortest-form scalar.
    static func isValidSequence(lead: UInt8, _ rest: some Collection<UInt8>) -> Bool {
        guard rest.allSatisfy({ $0 & 0xC0 == 0x80 }), let second = rest.first else { return false }
        switch lead {
        case 0xE0: return second >= 0xA0  // overlong below U+0800
        case 0xED: return second < 0xA0  // U+D800…U+DFFF are surrogates
        case 0xF0: return second >= 0x90  // overlong below U+10000
        case 0xF4: return second < 0x90  // above U+10FFFF
        default: return true
        }
    }
}
