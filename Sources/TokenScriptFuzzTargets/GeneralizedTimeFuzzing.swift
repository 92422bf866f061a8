import TokenScriptEvaluation

/// GeneralizedTime values reach evaluation as text (user entries) and as integers (`eth_call` results):
/// both, and the conversion between them, must not trap.
enum GeneralizedTimeFuzzing {
    static func run(_ bytes: [UInt8]) {
        let text = FuzzTarget.text(bytes)
        if let time = GeneralizedTime(text) {
            let seconds = time.unixSeconds
            _ = time < GeneralizedTime(unixSeconds: seconds)
        }
        if let seconds = Int64(text) {
            _ = GeneralizedTime(unixSeconds: seconds).unixSeconds
        }
    }
}
