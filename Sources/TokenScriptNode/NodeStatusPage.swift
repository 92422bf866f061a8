import TokenScriptHTTPServer

/// A service node's status page at `/`: its name and role, the anchor it follows, and the instances it hosts
/// with their journal positions and state hashes (what `GET /v1/instances` lists: no attribute, which needs a
/// read grant), and how many rest in the store or were retired. Server-rendered, escaped, reloaded by the browser.
enum NodeStatusPage {
    static let refreshSeconds = 2
    /// Rows shown at most: a node may host many thousands of instances; the API lists them all.
    static let rows = 200

    /// - Parameter lifecycle: how many instances rest in the store and how many were retired, when known.
    static func html(
        configuration: NodeConfiguration, views: [InstanceView]?, lifecycle: (resting: Int, retired: Int)? = nil
    ) -> String {
        var body = "<h1>\(HTMLPage.escape(configuration.name)) <small>service node</small></h1>\n<p>"
        if let anchor = configuration.anchorURL {
            body +=
                "Follows the anchoring node <a href=\"\(HTMLPage.escape(anchor))/\">\(HTMLPage.escape(anchor))</a>; "
        } else {
            body += "A single node (no anchoring node); "
        }
        body += "this page reloads every \(refreshSeconds) s.</p>\n"
        guard let views else { return page(configuration, body + "<p>This node hosts no scripts.</p>\n") }
        var rows = ""
        for view in views.prefix(Self.rows) {
            rows +=
                "<tr id=\"instance-\(HTMLPage.escape(view.id))\"><td>\(HTMLPage.escape(view.id))</td>"
                + "<td>\(HTMLPage.escape(view.script))</td><td>\(view.position)</td>"
                + "<td><code>\(HTMLPage.escape(view.stateHash))</code></td></tr>\n"
        }
        let shown = views.count > Self.rows ? " (the first \(Self.rows) of \(views.count))" : " (\(views.count))"
        body += HTMLPage.table(
            "Hosted instances" + shown, id: "instances", header: ["instance", "script", "position", "state hash"],
            rows: rows, empty: "No instance is hosted here.")
        if let lifecycle {
            body +=
                "<p id=\"lifecycle\">\(lifecycle.resting) dormant instances rest in the store (back on their next "
                + "request or input); \(lifecycle.retired) expired instances were retired, their journals archived."
                + "</p>\n"
        }
        return page(configuration, body)
    }

    private static func page(_ configuration: NodeConfiguration, _ body: String) -> String {
        HTMLPage.document(title: "\(configuration.name): service node", refreshSeconds: refreshSeconds, body: body)
    }
}
