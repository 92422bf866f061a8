import Foundation
import Testing
import TokenScriptTesting

/// One row of `../shared/corpus/tokenscript/INDEX.tsv`: what an independent tool said about a corpus file.
struct CorpusEntry: Sendable, CustomTestStringConvertible {
    var file: String
    var version: String
    var features: String
    var xsdCheck: String

    var path: String { TestPaths.corpus + "/" + file }
    var testDescription: String { file }

    /// Unbuilt sources: DTD external entities, `ts:include`, or template variables.
    var isUnbuiltSource: Bool {
        features.contains("dtd-entities=") || xsdCheck.contains("unbuilt source")
            || xsdCheck.contains("INVALID-as-source")
    }

    /// What libxml2 said when the file was validated against the public XSD we also have, or nil when
    /// no such XSD is in `corpus/xsd` (2019 and 2020/03 schemas) or the file could not be checked.
    var expectedSchemaOutcome: SchemaOutcome? {
        var verdict = xsdCheck
        if version == "2020/06" {
            // Two 2020/06 schemas were tried; corpus/xsd holds the final one.
            let marker = "final-2020/06-xsd(SmartTokenLabs/TokenScript schema/): "
            guard let start = verdict.range(of: marker) else { return nil }
            verdict = String(verdict[start.upperBound...])
            if let end = verdict.range(of: " || ") { verdict = String(verdict[..<end.lowerBound]) }
        } else if !["2022/09", "2024/01"].contains(version) {
            return nil
        }
        if verdict.hasPrefix("valid") { return .valid }
        guard verdict.hasPrefix("INVALID: ") else { return nil }
        // "INVALID: | element X: Schemas validity error : <message> | element Y: …"
        guard let range = verdict.range(of: "Schemas validity error : ") else { return nil }
        var message = String(verdict[range.upperBound...])
        if let end = message.range(of: " | ") { message = String(message[..<end.lowerBound]) }
        return .invalid(firstMessage: message)
    }

    enum SchemaOutcome: Equatable {
        case valid
        case invalid(firstMessage: String)
    }

    static let all: [CorpusEntry] = {
        guard let text = try? String(contentsOfFile: TestPaths.corpus + "/INDEX.tsv", encoding: .utf8) else {
            return []
        }
        var entries: [CorpusEntry] = []
        for line in text.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 9, !columns[0].isEmpty, !columns[4].isEmpty else { continue }
            entries.append(
                CorpusEntry(file: columns[0], version: columns[4], features: columns[7], xsdCheck: columns[8]))
        }
        return entries
    }()
}

/// Counts elements in the raw text, independently of libxml2 and of our reader.
struct RawCounts: Equatable, CustomStringConvertible {
    var namespace: String
    var attributes: Int
    var cards: Int
    var selections: Int

    var description: String { "\(namespace): \(attributes) attributes, \(cards) cards, \(selections) selections" }

    init(text original: String) {
        // Comments may hold commented-out elements (real files do that).
        let text = original.replacingOccurrences(of: "<!--[\\s\\S]*?-->", with: "", options: .regularExpression)
        var prefixes: [String] = []
        var defaultIsTokenScript = false
        for match in text.matches(
            of: /xmlns(?::([A-Za-z_][\w.-]*))?="(https?:\/\/(?:www\.)?tokenscript\.org\/\d{4}\/\d{2}\/tokenscript)"/)
        {
            if let prefix = match.1 { prefixes.append(String(prefix)) } else { defaultIsTokenScript = true }
        }
        // The root: the first start tag that is not a declaration or processing instruction.
        let root = text.firstMatch(of: /<([A-Za-z_][\w.-]*)(?::([A-Za-z_][\w.-]*))?[\s>\/]/)
        var namespace = ""
        if let root {
            let prefix = root.2 == nil ? nil : String(root.1)
            let tagEnd = text[root.range.lowerBound...].firstIndex(of: ">") ?? text.endIndex
            let tag = String(text[root.range.lowerBound..<tagEnd])
            let attribute = prefix.map { "xmlns:\($0)=\"" } ?? "xmlns=\""
            if let start = tag.range(of: attribute) {
                let rest = tag[start.upperBound...]
                namespace = String(rest[..<(rest.firstIndex(of: "\"") ?? rest.endIndex)])
            }
        }
        self.namespace = namespace
        func count(_ localName: String, requiring attribute: String? = nil) -> Int {
            var names = prefixes.map { "\($0):\(localName)" }
            if defaultIsTokenScript { names.append(localName) }
            var total = 0
            for name in names {
                let escaped = NSRegularExpression.escapedPattern(for: name)
                let pattern = attribute.map { "<\(escaped)\\s[^>]*\\b\($0)=" } ?? "<\(escaped)[\\s>/]"
                total +=
                    (try? NSRegularExpression(pattern: pattern))?.numberOfMatches(
                        in: text, range: NSRange(text.startIndex..., in: text)) ?? 0
            }
            return total
        }
        attributes = count("attribute", requiring: "name") + count("attribute-type", requiring: "id")
        cards = count("card") + count("token-card") + count("action")
        selections = count("selection")
    }
}
