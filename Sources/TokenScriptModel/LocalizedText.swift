/// A piece of text given in several languages, and for plural forms (`ts:label`, `ts:string`, `ts:plurals`).
///
/// Kept as the list the author wrote; the choice of entry is made when it is displayed,
/// so a runtime can serve a German and an English integrator from one model.
public struct LocalizedText: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        /// `xml:lang` of the string or of its enclosing `ts:plurals`; nil when absent.
        public var language: String?
        /// `quantity` (`zero`, `one`, `two`, `few`, `many`, `other`) for plural forms; nil otherwise.
        public var quantity: String?
        public var text: String

        public init(language: String?, quantity: String? = nil, text: String) {
            self.language = language
            self.quantity = quantity
            self.text = text
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The text for the first preferred language that has one, else English, else the first entry.
    ///
    /// Language tags match on their primary subtag too (`de-CH` finds `de`), as iOS and Android do;
    /// `count` picks `one` for 1 and `other` otherwise, falling back to any form.
    public func text(preferring languages: [String] = ["en"], count: Int? = nil) -> String? {
        guard !entries.isEmpty else { return nil }
        let wantedQuantity = count.map { $0 == 1 ? "one" : ($0 == 0 ? "zero" : "other") }
        func best(_ candidates: [Entry]) -> Entry? {
            guard !candidates.isEmpty else { return nil }
            if let wantedQuantity {
                if let exact = candidates.first(where: { $0.quantity == wantedQuantity }) { return exact }
                if wantedQuantity == "zero", let other = candidates.first(where: { $0.quantity == "other" }) {
                    return other
                }
            }
            return candidates.first(where: { $0.quantity == nil || $0.quantity == "one" }) ?? candidates.first
        }
        for language in languages + ["en"] {
            let lowered = language.lowercased()
            let primary = lowered.split(separator: "-").first.map(String.init) ?? lowered
            let exact = entries.filter { $0.language?.lowercased() == lowered }
            if let found = best(exact) { return found.text }
            let sameFamily = entries.filter {
                ($0.language?.lowercased().split(separator: "-").first.map(String.init)) == primary
            }
            if let found = best(sameFamily) { return found.text }
        }
        let unmarked = entries.filter { $0.language == nil }
        return (best(unmarked) ?? best(entries))?.text
    }

    /// The languages that have at least one entry, in order of first appearance.
    public var languages: [String] {
        var seen: [String] = []
        for entry in entries {
            if let language = entry.language, !seen.contains(language) { seen.append(language) }
        }
        return seen
    }
}
