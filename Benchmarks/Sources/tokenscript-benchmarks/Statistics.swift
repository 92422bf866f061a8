/// Order statistics over a set of timings, in seconds.
struct Summary: Codable, Sendable {
    var count: Int
    var medianMs: Double
    var p10Ms: Double
    var p90Ms: Double
    var minMs: Double
    var maxMs: Double

    init(seconds samples: [Double]) {
        precondition(!samples.isEmpty, "no samples")
        let sorted = samples.sorted()
        count = sorted.count
        medianMs = Self.quantile(sorted, 0.5) * 1000
        p10Ms = Self.quantile(sorted, 0.1) * 1000
        p90Ms = Self.quantile(sorted, 0.9) * 1000
        minMs = sorted.first! * 1000
        maxMs = sorted.last! * 1000
    }

    /// Linear interpolation between closest ranks (R's type 7, NumPy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard sorted.count > 1 else { return sorted[0] }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }

    static func median(_ values: [Double]) -> Double { quantile(values.sorted(), 0.5) }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}

/// Decimal megabytes (10^6 bytes) per second.
func megabytesPerSecond(bytes: Int, milliseconds: Double) -> Double {
    milliseconds > 0 ? Double(bytes) / 1e6 / (milliseconds / 1000) : 0
}
