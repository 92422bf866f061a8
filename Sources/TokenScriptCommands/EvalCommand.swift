import ArgumentParser

struct EvalCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a token's attributes against a chain, with selections and card availability.",
        discussion: """
            Values carry their provenance (origin, block, cached). Errors name the attribute and its origin.
            Exit status: 0 when every attribute has a value, 1 when some failed, 2 on bad usage.
            """
    )

    @Argument(help: "The TokenScript file.")
    var file: String

    @Option(help: "The token id (decimal or 0x-hex).")
    var tokenId: String?

    @Option(help: "The token's owner (ownerAddress).")
    var owner: String?

    @Option(help: "The wallet (walletAddress).")
    var wallet: String?

    @Option(name: .customLong("chain"), help: "ID=RPC_URL, once per chain; the first is the token's chain.")
    var chains: [String] = []

    @Option(help: "The token's chain id, when several --chain are given.")
    var tokenChain: UInt64?

    @Option(
        name: .customLong("contract"), help: "NAME=0xADDRESS: use this deployment of a contract instead of the file's.")
    var contracts: [String] = []

    @Option(name: .customLong("attribute"), help: "Evaluate only this attribute (and what it reads); repeatable.")
    var attributes: [String] = []

    @Option(help: "Also evaluate this card's local attributes and availability.")
    var card: String?

    @Option(name: .customLong("user-entry"), help: "NAME=VALUE for a ts:user-entry attribute; repeatable.")
    var userEntries: [String] = []

    @Option(help: "Read at this block number instead of the latest.")
    var block: UInt64?

    @Option(help: "Preferred language for mappings.")
    var language = "en"

    @Option(help: "Seconds to wait for each RPC answer.")
    var timeout: Double = 10

    @Flag(help: "Print one JSON object.")
    var json = false

    static var library: (Eval.Options, Console) async -> Int32 { Eval.run }

    var options: Eval.Options {
        var options = Eval.Options(file: file)
        options.tokenID = tokenId
        options.owner = owner
        options.wallet = wallet
        options.chains = chains
        options.tokenChain = tokenChain
        options.contracts = contracts
        options.attributes = attributes
        options.card = card
        options.userEntries = userEntries
        options.block = block
        options.language = language
        options.timeout = timeout
        options.json = json
        return options
    }
}
