import ArgumentParser
import Foundation
import TokenScriptArithmetic
import TokenScriptDocument
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC
import TokenScriptModel

/// `tokenscript eval`: a token's attribute values with provenance, its selections and card availability.
package enum Eval {
    /// The flags of `tokenscript eval`, declared once: the command parses them, tests parse real command lines.
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "The TokenScript file.")
        package var file: String

        @Option(name: .customLong("token-id"), help: "The token id (decimal or 0x-hex).")
        package var tokenID: String?

        @Option(help: "The token's owner (ownerAddress).")
        package var owner: String?

        @Option(help: "The wallet (walletAddress).")
        package var wallet: String?

        /// `ID=URL`, one per chain the script may read.
        @Option(name: .customLong("chain"), help: "ID=RPC_URL, once per chain; the first is the token's chain.")
        package var chains: [String] = []

        /// The token's chain; nil: the first `--chain`.
        @Option(help: "The token's chain id, when several --chain are given.")
        package var tokenChain: UInt64?

        /// `NAME=0xADDRESS`: where a contract is deployed, replacing the file's addresses (local nodes, forks).
        @Option(
            name: .customLong("contract"),
            help: "NAME=0xADDRESS: use this deployment of a contract instead of the file's.")
        package var contracts: [String] = []

        @Option(name: .customLong("attribute"), help: "Evaluate only this attribute (and what it reads); repeatable.")
        package var attributes: [String] = []

        @Option(help: "Also evaluate this card's local attributes and availability.")
        package var card: String?

        /// `NAME=VALUE` for `ts:user-entry` attributes.
        @Option(name: .customLong("user-entry"), help: "NAME=VALUE for a ts:user-entry attribute; repeatable.")
        package var userEntries: [String] = []

        @Option(help: "Read at this block number instead of the latest.")
        package var block: UInt64?

        @Option(help: "Preferred language for mappings.")
        package var language = "en"

        @Option(help: "Seconds to wait for each RPC answer.")
        package var timeout: Double = 10

        @Flag(help: "Print one JSON object.")
        package var json = false

        package init() {}
    }

    /// Why the command could not start; printed as `error: …` with exit status 2.
    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    package static func run(_ options: Options, console: Console) async -> Int32 {
        let loaded: LoadedTokenScript
        do {
            loaded = try TokenScriptReader.read(file: options.file)
        } catch {
            return console.report(
                CommandFailure(unusableDocument: options.file, diagnostics: error.diagnostics), json: options.json)
        }
        if loaded.hasErrors {
            return console.report(
                CommandFailure(unusableDocument: options.file, diagnostics: loaded.diagnostics), json: options.json)
        }
        let setup: (AttributeEvaluator, EvaluationContext)
        do {
            setup = try prepare(loaded.tokenScript, options)
        } catch {
            return console.report(CommandFailure(error.description), json: options.json)
        }
        let report = await setup.0.evaluate(
            setup.1, attributes: options.attributes.isEmpty ? nil : options.attributes, card: options.card)
        let failed = report.attributes.values.contains { if case .failure = $0 { true } else { false } }
        let status: CommandStatus = failed ? .failed : .success
        if options.json {
            console.out(EvalReport.json(report, status: status))
        } else {
            EvalReport.printHuman(report, script: loaded.tokenScript, console: console)
        }
        return status.rawValue
    }

    /// Turns command-line text into an evaluator and a context, naming the bad argument on failure.
    static func prepare(_ script: TokenScript, _ options: Options) throws(UsageError) -> (
        AttributeEvaluator, EvaluationContext
    ) {
        // URLSession and Dispatch convert the timeout to integers and trap on infinity or a huge value.
        do {
            _ = try CheckedConversion.finite(options.timeout, field: "--timeout", in: 0.001...86_400)
        } catch {
            throw UsageError(description: error.description)
        }
        var configuration = ChainConfiguration(options: JSONRPCClientOptions(timeout: options.timeout))
        var firstChain: UInt64?
        for argument in options.chains {
            do {
                try configuration.add(argument)
                if firstChain == nil { firstChain = try ChainConfiguration.parse(argument).chainID }
            } catch {
                throw UsageError(description: error.description)
            }
        }
        guard let chainID = options.tokenChain ?? firstChain else {
            let networks = script.holdingContract?.addresses.map(\.network).joined(separator: ", ") ?? "none"
            throw UsageError(
                description:
                    "no chain to read: give --chain ID=RPC_URL (the token's contract is on chain(s) \(networks))")
        }
        var overrides: [String: EthereumAddress] = [:]
        for argument in options.contracts {
            guard let equals = argument.firstIndex(of: "="),
                let address = EthereumAddress(argument[argument.index(after: equals)...])
            else { throw UsageError(description: "invalid --contract \"\(argument)\": expected NAME=0xADDRESS") }
            let name = String(argument[..<equals])
            guard script.contract(named: name) != nil else {
                throw UsageError(
                    description:
                        "invalid --contract \"\(argument)\": the TokenScript declares no contract "
                        + "'\(name)' (it has: \(script.contracts.map(\.name).joined(separator: ", ")))"
                )
            }
            overrides[name] = address
        }
        var tokenID: UInt256?
        if let text = options.tokenID {
            tokenID = text.hasPrefix("0x") ? UInt256(hex: text.dropFirst(2)) : UInt256(decimal: text)
            guard tokenID != nil else {
                throw UsageError(description: "invalid --token-id \"\(text)\": a decimal or 0x-hex number below 2^256")
            }
        }
        func address(_ text: String?, _ flag: String) throws(UsageError) -> EthereumAddress? {
            guard let text else { return nil }
            guard let address = EthereumAddress(text) else {
                throw UsageError(
                    description:
                        "invalid \(flag) \"\(text)\": expected a 0x address (mixed case must match its EIP-55 checksum)"
                )
            }
            return address
        }
        var entries: [String: String] = [:]
        for argument in options.userEntries {
            guard let equals = argument.firstIndex(of: "=") else {
                throw UsageError(description: "invalid --user-entry \"\(argument)\": expected NAME=VALUE")
            }
            entries[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
        }
        if let card = options.card, script.cards.first(where: { $0.name == card }) == nil {
            throw UsageError(
                description: "no card '\(card)' (cards: \(script.cards.map(\.name).joined(separator: ", ")))")
        }
        let context = EvaluationContext(
            chainID: chainID, tokenID: tokenID, owner: try address(options.owner, "--owner"),
            wallet: try address(options.wallet, "--wallet"), block: options.block.map(BlockTag.number) ?? .latest,
            userEntries: entries, languages: [options.language])
        let chains = configuration
        let evaluator = AttributeEvaluator(
            tokenScript: script, chains: { id throws(ChainError) in try chains.client(for: id) },
            contractAddresses: overrides)
        return (evaluator, context)
    }
}
