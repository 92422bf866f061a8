import Foundation
import TokenScriptEvaluation
import TokenScriptModel

/// How `tokenscript eval` prints a report: the documented JSON object, or lines for a person.
enum EvalReport {
    /// `{attributes: {name: {value, origin, block, cached} | {error}}, selections: {name: bool},
    /// cards: {name: {available, reason}}, block}`, keys sorted.
    static func json(_ report: EvaluationReport) -> String {
        var attributes: [String: Any] = [:]
        for (name, outcome) in report.attributes {
            switch outcome {
            case .success(let evaluated):
                attributes[name] =
                    [
                        "value": jsonObject(evaluated.value.json),
                        "origin": evaluated.provenance.origin,
                        "block": evaluated.provenance.block.map { NSNumber(value: $0) } ?? NSNull(),
                        "cached": evaluated.provenance.cached,
                    ] as [String: Any]
            case .failure(let error):
                attributes[name] = ["error": error.description, "origin": error.origin]
            }
        }
        var cards: [String: Any] = [:]
        for (name, availability) in report.cards {
            cards[name] =
                ["available": availability.available, "reason": availability.reason ?? NSNull()] as [String: Any]
        }
        let object: [String: Any] = [
            "attributes": attributes,
            "selections": report.selections,
            "cards": cards,
            "block": report.block.map { NSNumber(value: $0) } ?? NSNull(),
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A value's JSON text as a Foundation object, so it nests inside the report.
    private static func jsonObject(_ text: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
    }

    static func printHuman(_ report: EvaluationReport, script: TokenScript, console: Console) {
        console.out("\(script.name ?? "TokenScript")  —  block \(report.block.map(String.init) ?? "?")")
        console.out("attributes:")
        for name in report.attributes.keys.sorted() {
            switch report.attributes[name]! {
            case .success(let evaluated):
                let provenance = evaluated.provenance
                let block = provenance.block.map { ", block \($0)" } ?? ""
                console.out(
                    "  \(name) = \(evaluated.value.json)   "
                        + "(\(provenance.origin)\(block)\(provenance.cached ? ", cached" : ""))"
                )
            case .failure(let error):
                console.out("  \(name): ERROR \(error.description)")
            }
        }
        if !report.selections.isEmpty {
            console.out("selections:")
            for name in report.selections.keys.sorted() {
                console.out("  \(name): \(report.selections[name]! ? "true" : "false")")
            }
        }
        if !report.cards.isEmpty {
            console.out("cards:")
            for name in report.cards.keys.sorted() {
                let card = report.cards[name]!
                console.out(
                    "  \(name): \(card.available ? "available" : "unavailable")"
                        + "\(card.reason.map { " — \($0)" } ?? "")")
            }
        }
    }
}
