import TokenScriptEvaluation

/// GeneralizedTime values reach evaluation as text (user entries) and as integers (`eth_call` results):
/// both, and the conversion between them, must not trap. (`try?` on the integer conversion: it refuses
/// out-of-range seconds with an error once range-checked, and until then it is not `throws` — a warning only.)
enum GeneralizedTimeFuzzing {
    static func run(_ bytes: [UInt8]) {
        let text = FuzzTarget.text(bytes)
        if let time = GeneralizedTime(text), let again = try? GeneralizedTime(unixSeconds: time.unixSeconds) {
            _ = time < again
        }
        if let seconds = Int64(text) {
            _ = (try? GeneralizedTime(unixSeconds: seconds))?.unixSeconds
        }
    }
}
