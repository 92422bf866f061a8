/// The status pages' HTML (the anchor's and the nodes' `/`): one document shell and one escaping rule, so every
/// page reloads the same way and no value from the network reaches a browser unescaped.
public enum HTMLPage {
    /// A whole document: `title` (escaped here), reloaded by the browser every `refreshSeconds`, around `body`
    /// (markup the caller built, its values escaped with `escape`).
    public static func document(title: String, refreshSeconds: Int, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="refresh" content="\(refreshSeconds)">
        <title>\(escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
        table{border-collapse:collapse;margin:0 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
        th{background:#f3f3f3}.page{background:#fdd}.ticket{background:#ffe9c4}.down{color:#999}
        code{font-size:12px}
        </style></head><body>
        \(body)</body></html>

        """
    }

    /// A titled table (`header` cells are trusted text, `rows` markup), or `empty` in a paragraph with the same id.
    public static func table(_ title: String, id: String, header: [String], rows: String, empty: String) -> String {
        guard !rows.isEmpty else { return "<h2>\(title)</h2>\n<p id=\"\(id)\">\(escape(empty))</p>\n" }
        return "<h2>\(title)</h2>\n<table id=\"\(id)\"><tr>"
            + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n" + rows + "</table>\n"
    }

    /// Text for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
