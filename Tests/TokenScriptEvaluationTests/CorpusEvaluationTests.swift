import Foundation
import Testing
import TokenScriptDocument
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptModel
import TokenScriptTesting

/// Every public TokenScript of the corpus, evaluated with all its chains pointed at the local node:
/// each attribute gets a value or a named reason (no contract there, revert, unsupported origin …),
/// never a crash or a hang.
@Suite("Corpus evaluation", .needsShared, .needsEthereumNode)
struct CorpusEvaluationTests {
    static let files = TestPaths.corpusFiles()

    @Test(
        "every corpus file evaluates, token scope and each card, to values or named errors",
        .timeLimit(.minutes(3)), arguments: files)
    func evaluate(_ path: String) async throws {
        let loaded: LoadedTokenScript
        do { loaded = try TokenScriptReader.read(file: path) } catch {
            // Reading is the document layer's business; its own tests cover files it cannot read.
            return
        }
        let script = loaded.tokenScript
        let node = try await Node.shared()
        let client = node.client
        let evaluator = AttributeEvaluator(tokenScript: script, chains: { _ in client })
        let chainID = script.holdingContract?.addresses.first.flatMap { UInt64($0.network) } ?? 1
        let context = EvaluationContext(
            chainID: chainID, tokenID: 1, owner: try node.account(1), wallet: try node.account(1),
            block: .number(node.block))

        var reports = [(nil as String?, await evaluator.evaluate(context))]
        for card in script.cards where !card.attributes.isEmpty {
            reports.append((card.name, await evaluator.evaluate(context, card: card.name)))
        }
        for (card, report) in reports {
            var expected = Set(script.attributes.map(\.name))
            if let card { expected.formUnion(script.cards.first { $0.name == card }?.attributes.map(\.name) ?? []) }
            #expect(Set(report.attributes.keys) == expected, "\(path) card \(card ?? "-")")
            for (name, outcome) in report.attributes {
                guard case .failure(let error) = outcome else { continue }
                #expect(error.description.hasPrefix("attribute '\(name)"), "\(path): \(error)")
                #expect(!error.reason.description.isEmpty)
            }
            for cardName in report.cards.keys { #expect(script.cards.contains { $0.name == cardName }) }
        }
    }

    @Test("the corpus holds files to evaluate")
    func corpusIsThere() {
        #expect(Self.files.count > 50)
    }
}
