import TokenScriptCluster

/// Per-node service objectives from the anchor's configuration: `--objective NAME=PERCENT,LATENCY[,PERIOD]`
/// (repeatable; the config file's `objectives` holds the same texts), such as `n1=99.95,500ms` or
/// `n2=99.5,2000ms,7d`. A node without one is held to `ServiceObjective.standard` (99.9 %, 1000 ms, 30 days). The
/// percentage is read as decimal digits (at most four after the point) into parts per million, never through a
/// float, so `99.95` is exactly 999,500.
public enum AnchorObjectives {
    /// Reads objective texts, by node name.
    /// - Throws: `AnchorConfigurationError` on field `objective`, quoting the text and saying what is wrong.
    public static func parse(_ texts: [String]) throws(AnchorConfigurationError) -> [String: ServiceObjective] {
        var objectives: [String: ServiceObjective] = [:]
        for text in texts {
            let (name, objective) = try parse(text)
            guard objectives.updateValue(objective, forKey: name) == nil else {
                throw AnchorConfigurationError(field: "objective", message: "\(name) has two objectives")
            }
        }
        return objectives
    }

    static func parse(_ text: String) throws(AnchorConfigurationError) -> (String, ServiceObjective) {
        func refuse(_ why: String) -> AnchorConfigurationError {
            AnchorConfigurationError(
                field: "objective", message: "\"\(text)\": \(why) (expected NAME=PERCENT,LATENCYms[,PERIODd])")
        }
        let sides = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard sides.count == 2, AnchorConfiguration.isName(sides[0]) else {
            throw refuse("a node name of A-Z a-z 0-9 . _ - before '='")
        }
        let parts = sides[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else { throw refuse("two or three parts after '='") }
        guard let goodPerMillion = partsPerMillion(parts[0]) else {
            throw refuse("\(parts[0]) is not a percentage above 0 and below 100 with at most four decimals")
        }
        guard parts[1].hasSuffix("ms"), let latency = UInt64(parts[1].dropLast(2)), latency > 0 else {
            throw refuse("\(parts[1]) is not a latency in whole milliseconds, such as 500ms")
        }
        var period = ServiceObjective.standard.periodSeconds
        if parts.count == 3 {
            guard parts[2].hasSuffix("d"), let days = UInt64(parts[2].dropLast()), days <= 366 else {
                throw refuse("\(parts[2]) is not a period in whole days, such as 30d")
            }
            period = days * 86_400
        }
        do throws(SLOMonitorError) {
            let objective = try ServiceObjective(
                goodPerMillion: goodPerMillion, latencyMilliseconds: latency, periodSeconds: period)
            return (String(sides[0]), objective)
        } catch {
            throw refuse("\(error)")
        }
    }

    /// `99.95` → 999,500: digits, at most one point, at most four decimals; nil otherwise or outside (0, 100).
    static func partsPerMillion(_ text: String) -> UInt32? {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), !pieces[0].isEmpty, pieces[0].count <= 3,
            pieces.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } })
        else { return nil }
        let decimals = pieces.count == 2 ? String(pieces[1]) : ""
        guard decimals.count <= 4, pieces.count == 1 || !decimals.isEmpty else { return nil }
        guard let whole = UInt32(pieces[0]),
            let fraction = UInt32(decimals.padding(toLength: 4, withPad: "0", startingAt: 0))
        else { return nil }
        let value = whole * 10_000 + fraction
        return value > 0 && value < 1_000_000 ? value : nil
    }
}
