import ArgumentParser
import TokenScriptDocument
import TokenScriptModel
import TokenScriptXML

/// `tokenscript inspect`: what a TokenScript declares, for a person or (with `--json`) a program.
package enum Inspect {
    /// The flags of `tokenscript inspect`, declared once: the command parses them, tests parse real command lines.
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "The TokenScript file.")
        package var file: String

        @Flag(help: "Print the documented JSON summary.")
        package var json = false

        /// Print the complete model (every field, views included) instead of the summary.
        @Flag(help: "Print the complete parsed model as JSON (views included).")
        package var model = false

        @Flag(help: "Treat unknown elements, attributes and values as errors.")
        package var strict = false

        @Option(help: "Preferred language for labels.")
        package var language = "en"

        package init() {}
    }

    package static func run(_ options: Options, console: Console) -> Int32 {
        let loaded: LoadedTokenScript
        do {
            loaded = try TokenScriptReader.read(
                file: options.file, options: TokenScriptReadOptions(strict: options.strict))
        } catch {
            return console.report(
                CommandFailure(unusableDocument: options.file, diagnostics: error.diagnostics), json: options.json)
        }
        if loaded.hasErrors {
            // The report names the first error and how many more; the rest are listed before it.
            if !options.json { for diagnostic in loaded.errors.dropFirst() { console.err(diagnostic.description) } }
            return console.report(
                CommandFailure(unusableDocument: options.file, diagnostics: loaded.diagnostics), json: options.json)
        }
        if !options.json { for diagnostic in loaded.diagnostics { console.err(diagnostic.description) } }
        if options.model {
            console.out(JSONOutput.result(ModelReport(model: loaded.tokenScript), status: .success))
        } else {
            let report = InspectReport(
                file: options.file, script: loaded.tokenScript, diagnostics: loaded.diagnostics,
                language: options.language)
            if options.json {
                console.out(JSONOutput.result(report, status: .success))
            } else {
                printHuman(report, console: console)
            }
        }
        return CommandStatus.success.rawValue
    }

    /// `inspect --model`: the complete model under `"model"`, beside the `"status"` every JSON output has.
    struct ModelReport: Encodable {
        var model: TokenScript
    }

    private static func printHuman(_ report: InspectReport, console: Console) {
        console.out(
            "\(report.name ?? report.label ?? "(unnamed)")  —  TokenScript \(report.version)  (\(report.namespace))")
        if let label = report.label, report.name != nil { console.out("label: \(label)") }
        section("contracts", report.contracts, console) { contract in
            let addresses = contract.addresses.map { "\($0.network):\($0.address)" }.joined(separator: " ")
            return "\(contract.name)\(contract.interface.map { " (\($0))" } ?? "")  \(addresses)"
        }
        section("attributes", report.attributes, console) { attribute in
            let scope = attribute.scope == "token" ? "" : "  [card \(attribute.scope)]"
            let origin = attribute.origins.first ?? "no origin"
            let conversion = attribute.as.map { " as \($0)" } ?? ""
            let deps = attribute.dependsOn.isEmpty ? "" : "  ← \(attribute.dependsOn.joined(separator: ", "))"
            return "\(attribute.name): \(attribute.type ?? "untyped")  \(origin)\(conversion)\(deps)\(scope)"
        }
        section("selections", report.selections, console) { "\($0.name): \($0.filter)" }
        section("cards", report.cards, console) { card in
            let exclude = card.exclude.isEmpty ? "" : "  exclude: \(card.exclude.joined(separator: " "))"
            let transaction = card.transaction.map { "  → \($0)" } ?? ""
            return "\(card.name) (\(card.type))\(transaction)\(exclude)"
        }
        section("transactions", report.transactions, console) { "\($0.name): \($0.signature ?? "payment")" }
        section("attestations", report.attestations, console) { attestation in
            "\(attestation.name) (\(attestation.type ?? "?"))  keys: "
                + "\(attestation.keys.count)  idFields: \(attestation.idFields.joined(separator: ","))"
        }
        section("events", report.eventTypes, console) { $0 }
        if let server = report.server { printServer(server, console: console) }
        if let signature = report.signature {
            console.out("signature: \(signature.signatureMethod ?? "?")\(signature.wellFormed ? "" : " (incomplete)")")
        } else {
            console.out("signature: none")
        }
    }

    static func section<T>(_ title: String, _ items: [T], _ console: Console, _ line: (T) -> String) {
        guard !items.isEmpty else { return }
        console.out("\(title) (\(items.count)):")
        for item in items { console.out("  \(line(item))") }
    }
}
