import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptHTTPServer

/// The anchor's status page at `/`: plain server-rendered HTML, readable without JavaScript, reloaded by the
/// browser every few seconds (`<meta http-equiv="refresh">`). Every value from the network (node names, URLs,
/// topics, ids) is escaped: a node or an attestation cannot inject markup into an operator's browser.
enum AnchorStatusPage {
    static let refreshSeconds = 2

    static func html(_ status: AnchorStatus) -> String {
        let body =
            "<h1>\(escape(status.name)) <small>anchoring node</small></h1>\n"
            + "<p>Anchor clock \(status.time) (unix seconds); \(status.replicas) hosts per instance; "
            + "this page reloads every \(refreshSeconds) s.</p>\n"
            + nodes(status) + executors(status) + topics(status) + routings(status) + evidence(status)
        return HTMLPage.document(
            title: "\(status.name): anchoring node", refreshSeconds: refreshSeconds, body: body)
    }

    private static func nodes(_ status: AnchorStatus) -> String {
        var rows = ""
        for node in status.nodes {
            let member = node.member
            let level = node.standing?.level?.rawValue ?? "ok"
            let css =
                node.standing?.level.map { " class=\"\($0.rawValue)\"" } ?? (member.healthy ? "" : " class=\"down\"")
            let beat = member.lastHeartbeat.map { "\(status.time >= $0 ? status.time - $0 : 0) s ago" } ?? "never"
            let page = node.standing?.rules.first { $0.rule.level == .page }
            let burn = page.map { "\(rate($0.long.burnRate)) / \(rate($0.short.burnRate))" } ?? "–"
            let spent = node.standing.map { "\(rate($0.budgetSpent * 100)) %" } ?? "–"
            rows +=
                "<tr\(css) id=\"node-\(escape(member.name))\"><td>\(escape(member.name))</td>"
                + "<td>\(escape(member.url))</td><td>\(member.healthy ? "healthy" : "down")</td><td>\(beat)</td>"
                + "<td>\(member.capacity)</td><td>\(member.weight ?? member.capacity)</td><td>\(level)</td>"
                + "<td>\(burn)</td><td>\(spent)</td><td>\(node.seats)</td></tr>\n"
        }
        return table(
            "Service nodes", id: "nodes",
            header: [
                "node", "url", "health", "last heartbeat", "capacity", "weight", "service level",
                "burn 1 h / 5 min", "budget spent", "executor seats",
            ], rows: rows, empty: "No service node has registered.")
    }

    private static func executors(_ status: AnchorStatus) -> String {
        var rows = ""
        for executor in status.executors {
            let record = executor.record
            rows +=
                "<tr\(executor.live ? "" : " class=\"down\"")><td>\(escape(record.lease.instance))</td>"
                + "<td>\(escape(record.holder ?? "none"))</td><td>\(record.lease.epoch)</td>"
                + "<td>\(executor.live ? "until \(record.expiresAt)" : "lapsed")</td></tr>\n"
        }
        return table(
            "Executors", id: "executors", header: ["instance", "executor", "epoch", "lease"], rows: rows,
            empty: "No instance has an executor yet.")
    }

    private static func topics(_ status: AnchorStatus) -> String {
        var rows = ""
        for topic in status.topics {
            let last = topic.attestation
            rows +=
                "<tr><td><code>\(escape(topic.topic))</code></td><td>\(topic.position)</td>"
                + "<td>\(escape(last?.type ?? ""))</td><td><code>\(escape(last?.id ?? ""))</code></td>"
                + "<td>\(last.map { "\($0.issuedAt)" } ?? "")</td></tr>\n"
        }
        return table(
            "Last attestation per topic", id: "topics",
            header: ["topic (newest first)", "position", "type", "id", "issued at"], rows: rows,
            empty: "The log is empty.")
    }

    private static func routings(_ status: AnchorStatus) -> String {
        var rows = ""
        for routing in status.routings {
            let value = routing.payload
            let cells = [value["executor"], value["instance"], value["epoch"], value["requestID"], value["outcome"]]
            rows += row(cells.map(text) + ["\(routing.issuedAt)"], code: [3])
        }
        return table(
            "Routings and failure attestations", id: "routings",
            header: ["for executor", "instance", "epoch", "request", "outcome the anchor signed", "at"], rows: rows,
            empty: "The anchor has routed no call.")
    }

    private static func evidence(_ status: AnchorStatus) -> String {
        var rows = ""
        for item in status.evidence {
            let value = item.payload
            let cells = [value["node"], value["instance"], value["sequence"], value["reported"], value["expected"]]
            rows += row(cells.map(text), code: [3, 4])
        }
        return table(
            "State-hash mismatches", id: "evidence",
            header: ["node", "instance", "sequence", "reported", "expected"], rows: rows,
            empty: "Every host reported the same state hashes.")
    }

    /// A statement's payload value as a cell's text: a string, or an integer written out.
    private static func text(_ value: AttestationValue?) -> String {
        value?.stringValue ?? value?.integerValue.map { "\($0)" } ?? ""
    }

    /// One row of `cells`, escaped; the columns in `code` set as code.
    private static func row(_ cells: [String], code: Set<Int> = []) -> String {
        let columns = cells.enumerated().map { index, cell in
            code.contains(index) ? "<td><code>\(escape(cell))</code></td>" : "<td>\(escape(cell))</td>"
        }
        return "<tr>" + columns.joined() + "</tr>\n"
    }

    private static func table(_ title: String, id: String, header: [String], rows: String, empty: String) -> String {
        HTMLPage.table(title, id: id, header: header, rows: rows, empty: empty)
    }

    private static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        return "\((value * 10).rounded() / 10)"
    }

    static func escape(_ text: String) -> String { HTMLPage.escape(text) }
}
