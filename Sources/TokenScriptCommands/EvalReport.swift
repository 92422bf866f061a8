import TokenScriptJSON
import TokenScriptEvaluation
import TokenScriptModel

/// How `tokenscript eval` prints a report: the documented JSON object, or lines for a person.
enum EvalReport {
    /// `{attributes: {name: {value, origin, block, cached} | {error, origin}}, selections: {name: bool},
    /// cards: {name: {available, reason}}, block, status}`, in the one JSON style.
    static func json(_ report: EvaluationReport, status: CommandStatus) -> String {
        var attributes: [String: JSONValue] = [:]
        for (name, outcome) in report.attributes {
            switch outcome {
            case .success(let evaluated):
                attributes[name] = .object([
                    "value": (try? JSONValue(parsing: evaluated.value.json)) ?? .string(evaluated.value.json),
                    "origin": .string(evaluated.provenance.origin),
                    "block": evaluated.provenance.block.map { .integer(Int64(clamping: $0)) } ?? .null,
                    "cached": .bool(evaluated.provenance.cached),
                ])
            case .failure(let error):
                attributes[name] = .object(["error": .string(error.description), "origin": .string(error.origin)])
            }
        }
        let cards = report.cards.mapValues { availability -> JSONValue in
            .object([
                "available": .bool(availability.available), "reason": availability.reason.map { .string($0) } ?? .null,
            ])
        }
        return JSONOutput.text(
            .object([
                "attributes": .object(attributes),
                "selections": .object(report.selections.mapValues { .bool($0) }),
                "cards": .object(cards),
                "block": report.block.map { .integer(Int64(clamping: $0)) } ?? .null,
                "status": .string(status.jsonStatus),
            ]))
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
