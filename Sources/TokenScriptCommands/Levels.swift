import ArgumentParser
import TokenScriptAnchorClient

/// `tokenscript levels --anchor URL --key FILE --name NAME [--json]`: each service node's service level as an
/// anchoring node sees it: its objective, the standing of its burn-rate rules at the anchor's last sweep, the
/// budget spent over its period, the weight placement gives it, and its counters.
///
/// Signed by a member node or by an operator (`tokenscript anchor --operator NAME=0xKEY`). Exit status 0 with
/// the levels, 1 when the anchor refuses, 2 when the command cannot ask.
package enum Levels {
    package struct Options: ParsableArguments, Sendable {
        @Option(help: "The anchoring node, http://HOST:PORT.")
        package var anchor: String

        @Option(help: "The ed25519 key file of a member node or an operator (from `tokenscript keys new`).")
        package var key: String

        @Option(help: "The name that key signs as: a member node's, or an operator's as --operator gives it.")
        package var name: String

        @Flag(help: ArgumentHelp(Levels.jsonHelp))
        package var json = false

        package init() {}
    }

    static let jsonHelp =
        "Print the anchor's answer as one JSON object: {\"nodes\": [{\"node\", \"objective\", \"record\", "
        + "\"standing\", \"weight\"}], \"rules\", \"lastFailure\"}."

    package static func run(_ options: Options, console: Console) async -> Int32 {
        await AnchorRequest.run(
            anchor: options.anchor, keyPath: options.key, name: options.name, what: "read service levels",
            json: options.json, console: console
        ) { connection in
            let levels = try await RemoteAnchoringNode(connection: connection).serviceLevels()
            console.out(options.json ? JSONOutput.encode(levels) : table(levels))
        }
    }

    /// One line per node: level, weight, budget spent, each rule's burn rates, then the counters.
    static func table(_ levels: AnchorMessages.ServiceLevels) -> String {
        var lines: [String] = []
        for node in levels.nodes {
            let objective = node.objective
            let target = "\(Double(objective.goodPerMillion) / 10_000) % within \(objective.latencyMilliseconds) ms"
            guard let standing = node.standing else {
                lines.append("\(node.node): no standing yet (objective \(target)), weight \(node.weight)")
                continue
            }
            let rules = standing.rules.map { rule in
                "\(rule.rule.level.rawValue) "
                    + "\(burn(rule.long.burnRate, bad: rule.long.counts.bad, of: rule.long.counts.total)) "
                    + "over \(span(rule.long.seconds)), "
                    + "\(burn(rule.short.burnRate, bad: rule.short.counts.bad, of: rule.short.counts.total)) "
                    + "over \(span(rule.short.seconds))\(rule.firing ? " FIRING" : "")"
            }
            lines.append(
                "\(node.node): \(standing.level?.rawValue ?? "ok"), weight \(node.weight), "
                    + "\(percent(standing.budgetSpent)) of its budget spent (objective \(target)); "
                    + rules.joined(separator: "; "))
            if let record = node.record {
                lines.append(
                    "  \(record.probes) heartbeats and missed heartbeats (\(record.probesDown) missed), "
                        + "\(record.calls) calls and probes "
                        + "(\(record.failedCalls) failed, slowest \(record.maximumLatencyMilliseconds) ms), "
                        + "\(record.routings) routings, \(record.mismatches) state-hash mismatches")
            }
        }
        if let failure = levels.lastFailure { lines.append("anchor: \(failure)") }
        return lines.isEmpty ? "no service nodes registered" : lines.joined(separator: "\n")
    }

    static func burn(_ rate: Double, bad: UInt64, of total: UInt64) -> String {
        "\((rate * 10).rounded() / 10)x (\(bad)/\(total))"
    }

    static func span(_ seconds: UInt64) -> String {
        seconds % 3_600 == 0 ? "\(seconds / 3_600) h" : seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }

    static func percent(_ share: Double) -> String { "\((share * 1_000).rounded() / 10) %" }
}

struct LevelsCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "levels",
        abstract: "Show each service node's service level as an anchoring node sees it.",
        discussion: """
            The objective, the burn-rate rules (page: 14.4x over 1 h and 5 min; ticket: 6x over 6 h and 30 min) at \
            the anchor's last sweep, the budget spent, the placement weight and the counters of every registered \
            node. Signed by a member node or an operator. Exit 0 with the levels, 1 when the anchor refuses, 2 \
            when the command cannot ask.
            """
    )

    @OptionGroup var options: Levels.Options

    static var library: (Levels.Options, Console) async -> Int32 { Levels.run }
}
