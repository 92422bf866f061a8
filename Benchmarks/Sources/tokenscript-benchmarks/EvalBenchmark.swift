import Dispatch
import Foundation
import TokenScriptArithmetic
import TokenScriptDocument
import TokenScriptEthereum
import TokenScriptEvaluation
import TokenScriptJSONRPC
import TokenScriptModel

/// `tokenscript-benchmarks eval`: attributes per second for a 10-attribute token, cold cache and warm cache, against
/// the local Ethereum node, side by side with the node's own `eth_call` latency measured in the same run.
///
/// Every side goes through the one `JSONRPCChainClient` the evaluators use (its keep-alive connections are warm after
/// the warm-up), so the `eth_call` figure is what a chain read costs this process, not a lower bound from another
/// client. Each round runs every side once, in an order that rotates from round to round.
struct EvalBenchmark {
    struct Options: Sendable {
        var manifest: String?
        var tokenScript: String
        /// `expected.Ticket.tokens[].name` in the manifest.
        var token = "vip"
        var rounds = 30
        /// Sequential `eth_call`s of `ownerOf` per round.
        var callsPerRound = 10
        /// Cold evaluations (and runs of each raw-call side) per round.
        var coldPerRound = 10
        /// Warm evaluations per round (each is short, so more of them).
        var warmPerRound = 50
        var freshClient = true
        var json = false
        var markdownFile: String?
        var jsonFile: String?
    }

    let options: Options
    let manifest: NodeManifest
    let loaded: LoadedTokenScript
    let token: NodeManifest.Token
    let ticket: EthereumAddress
    let owner: EthereumAddress
    let tokenID: UInt256
    let url: URL
    let names: [String]
    let policy = AttributeCachePolicy(defaultTimeToLive: .seconds(24 * 3600))
    let clock = ContinuousClock()

    init(options: Options) throws {
        self.options = options
        guard let manifestPath = options.manifest else {
            throw BenchmarkError("eval needs --manifest PATH (the node's manifest, see scripts/ethnode/README.md)\n\n\(usage)")
        }
        manifest = try NodeManifest.load(manifestPath)
        guard let url = URL(string: manifest.rpcUrl) else { throw BenchmarkError("manifest rpcUrl '\(manifest.rpcUrl)' is no URL") }
        self.url = url
        guard let ticketText = manifest.contracts["Ticket"]?.address, let ticket = EthereumAddress(ticketText) else {
            throw BenchmarkError("the manifest has no valid contracts.Ticket.address")
        }
        self.ticket = ticket
        guard let expected = manifest.expected?.ticket else {
            throw BenchmarkError("the manifest has no expected.Ticket (was the node started with --no-setup?)")
        }
        guard let token = expected.tokens.first(where: { $0.name == options.token }) else {
            throw BenchmarkError(
                "no ticket '\(options.token)' in the manifest; there are: \(expected.tokens.map(\.name).joined(separator: ", "))")
        }
        self.token = token
        guard let tokenID = UInt256(hex: token.tokenId), let owner = EthereumAddress(token.owner) else {
            throw BenchmarkError("ticket '\(token.name)' has an unreadable tokenId or owner in the manifest")
        }
        self.tokenID = tokenID
        self.owner = owner

        do {
            loaded = try TokenScriptReader.read(file: options.tokenScript)
        } catch {
            throw BenchmarkError("cannot read \(options.tokenScript):\n\(error)")
        }
        guard !loaded.hasErrors else {
            throw BenchmarkError(
                "\(options.tokenScript) has errors:\n" + loaded.errors.map(\.description).joined(separator: "\n"))
        }
        names = loaded.tokenScript.attributes.map(\.name)
        guard !names.isEmpty else { throw BenchmarkError("\(options.tokenScript) has no token-scope attributes") }
    }

    var context: EvaluationContext {
        EvaluationContext(chainID: manifest.chainId, tokenID: tokenID, owner: owner, block: .number(manifest.blockNumberAfterSetup))
    }

    func makeEvaluator(_ chain: any ChainClient) -> AttributeEvaluator {
        AttributeEvaluator(
            tokenScript: loaded.tokenScript, chains: { _ in chain }, cache: EvaluationCache(policy: policy),
            contractAddresses: ["Ticket": ticket])
    }

    /// What each attribute must be, from the manifest: a figure for an evaluation that failed or read the wrong
    /// thing would not be a figure.
    var expectedTexts: [String: String] {
        guard let ticket = manifest.expected?.ticket else { return [:] }
        let tickets = ticket.balances.first { $0.key.lowercased() == token.owner.lowercased() }?.value
        return [
            "eventId": String(token.eventId), "venue": token.venue, "category": token.categoryLabel,
            "seat": String(token.seat), "holder": token.owner.lowercased(), "expired": token.isExpired ? "true" : "false",
            "holderTickets": tickets.map(String.init) ?? "?", "upgradeFee": ticket.upgradeFee,
            "contractName": ticket.name, "symbol": ticket.symbol,
        ]
    }

    // MARK: - Running

    func run() async throws -> EvalReport {
        let client = JSONRPCChainClient(url: url)
        let counter = CountingChainClient(client)
        let nodeChainID = try await client.chainID()
        guard nodeChainID == manifest.chainId else {
            throw BenchmarkError("the node at \(url) reports chain \(nodeChainID), the manifest \(manifest.chainId)")
        }
        let head = try await client.blockNumber()
        evalProgress(
            "node \(manifest.rpcUrl), chain \(nodeChainID), head \(head), pinned to block \(manifest.blockNumberAfterSetup); "
                + "ticket '\(token.name)' \(token.tokenId)")

        // A checked cold evaluation: the calls it makes are the ones every cold evaluation must make.
        let first = try await timedEvaluation(makeEvaluator(counter), through: counter, cold: true, expectedCalls: nil)
        let coldCalls = counter.takeRequests()
        let chainAttributes = names.filter { (try? first.report.attributes[$0]?.get().provenance.origin) == "ethereum:call" }
        guard coldCalls.count == chainAttributes.count, Set(coldCalls).count == coldCalls.count else {
            throw BenchmarkError(
                "a cold evaluation made \(coldCalls.count) eth_calls (\(Set(coldCalls).count) distinct) for "
                    + "\(chainAttributes.count) ethereum:call attributes")
        }
        guard counter.blockNumberCount == 0 else { throw BenchmarkError("a pinned evaluation asked for eth_blockNumber") }
        let attributes = names.map { name in
            let evaluated = try? first.report.attributes[name]?.get()
            return EvaluatedAttributeInfo(
                name: name, origin: evaluated?.provenance.origin ?? "?", value: evaluated?.value.text ?? "?")
        }
        evalProgress(
            "\(names.count) attributes (\(chainAttributes.count) ethereum:call, \(names.count - chainAttributes.count) other), "
                + "all equal to the manifest; a cold evaluation makes \(coldCalls.count) distinct eth_calls")

        // The reference call: ownerOf(tokenId), the first attribute a ticket view needs.
        let ownerOf = ABIFunction(name: "ownerOf", inputs: [.uint256], outputs: [.address])
        let ownerOfRequest = CallRequest(contract: ticket, data: try ownerOf.encodeCall([.uint(tokenID)]))
        let ownerAnswer = try ownerOf.decodeOutput(try await client.call(to: ticket, data: ownerOfRequest.data, at: context.block))
        guard ownerAnswer == [.address(owner)] else { throw BenchmarkError("ownerOf answered \(ownerAnswer), not \(owner)") }

        // The warm evaluator: its cache holds every chain value after this first evaluation.
        let warmEvaluator = makeEvaluator(counter)
        _ = try await timedEvaluation(warmEvaluator, through: counter, cold: true, expectedCalls: coldCalls.count)
        _ = counter.takeRequests()

        evalProgress("warming up (every side twice) ...")
        for _ in 0..<2 {
            _ = try await ethCalls(client, ownerOfRequest, count: options.callsPerRound)
            _ = try await timedEvaluation(makeEvaluator(counter), through: counter, cold: true, expectedCalls: coldCalls.count)
            _ = try await timedEvaluation(warmEvaluator, through: counter, cold: false, expectedCalls: 0)
            _ = try await rawSequential(client, coldCalls)
            _ = try await rawConcurrent(client, coldCalls)
            _ = try await rawBatch(client, coldCalls)
        }
        _ = counter.takeRequests()

        // Each side gives samples in seconds; the order rotates so no side always runs first (or last) in a round.
        typealias Side = (id: String, measure: () async throws -> [Double])
        var sides: [Side] = [
            ("eth_call", { try await ethCalls(client, ownerOfRequest, count: options.callsPerRound) }),
            (
                "cold",
                {
                    var samples: [Double] = []
                    for _ in 0..<options.coldPerRound {
                        let evaluator = makeEvaluator(counter)
                        samples.append(
                            try await timedEvaluation(evaluator, through: counter, cold: true, expectedCalls: coldCalls.count)
                                .seconds)
                    }
                    return samples
                }
            ),
            (
                "warm",
                {
                    var samples: [Double] = []
                    for _ in 0..<options.warmPerRound {
                        samples.append(try await timedEvaluation(warmEvaluator, through: counter, cold: false, expectedCalls: 0).seconds)
                    }
                    return samples
                }
            ),
            ("raw-sequential", { try await repeated(options.coldPerRound) { try await rawSequential(client, coldCalls) } }),
            ("raw-concurrent", { try await repeated(options.coldPerRound) { try await rawConcurrent(client, coldCalls) } }),
            ("raw-batch", { try await repeated(options.coldPerRound) { try await rawBatch(client, coldCalls) } }),
            (
                "construct",
                {
                    // Building the evaluator (dependency graph, ABIs), which a cold evaluation above does untimed.
                    try await repeated(options.coldPerRound) {
                        let start = clock.now
                        let evaluator = makeEvaluator(counter)
                        let elapsed = (clock.now - start).seconds
                        blackHole(evaluator)
                        return elapsed
                    }
                }
            ),
        ]
        if options.freshClient {
            sides.append((
                "cold-fresh-client",
                {
                    // A new client per evaluation: new URLSession, new TCP connections to the node.
                    try await repeated(options.coldPerRound) {
                        let fresh = CountingChainClient(JSONRPCChainClient(url: url))
                        return try await timedEvaluation(makeEvaluator(fresh), through: fresh, cold: true, expectedCalls: coldCalls.count)
                            .seconds
                    }
                }
            ))
        }

        var samples: [String: [Double]] = [:]
        var roundMedians: [String: [Double]] = [:]
        for round in 0..<options.rounds {
            for offset in 0..<sides.count {
                let side = sides[(round + offset) % sides.count]
                let taken = try await side.measure()
                samples[side.id, default: []] += taken
                roundMedians[side.id, default: []].append(Summary.median(taken))
            }
            _ = counter.takeRequests()
            evalProgress(
                "round \(round + 1)/\(options.rounds): eth_call p50 \(ms(roundMedians["eth_call"]!.last!)), "
                    + "cold \(ms(roundMedians["cold"]!.last!)), warm \(ms(roundMedians["warm"]!.last!)), "
                    + "6 raw concurrent \(ms(roundMedians["raw-concurrent"]!.last!))")
        }

        let attributeCount = names.count
        let callCount = coldCalls.count
        func side(_ id: String, _ label: String, _ what: String, perRound: Int, evaluation: Bool) -> EvalSide {
            EvalSide(
                id: id, label: label, what: what, samplesPerRound: perRound, summary: Summary(seconds: samples[id]!),
                attributesPerSecond: evaluation ? Throughput(attributes: attributeCount, seconds: samples[id]!) : nil,
                samplesMs: samples[id]!.map { $0 * 1000 })
        }
        var results = [
            side(
                "cold", "cold: new evaluator, empty cache", "\(callCount) eth_calls + \(attributeCount - callCount) token-id fields",
                perRound: options.coldPerRound, evaluation: true),
            side("warm", "warm: reused evaluator, cache holds all", "no chain read", perRound: options.warmPerRound, evaluation: true),
        ]
        if options.freshClient {
            results.append(
                side(
                    "cold-fresh-client", "cold, and a new client (new connections)", "new URLSession + TCP connects",
                    perRound: options.coldPerRound, evaluation: true))
        }
        results += [
            side(
                "eth_call", "node: one eth_call (ownerOf)", "sequential, through JSONRPCChainClient",
                perRound: options.callsPerRound, evaluation: false),
            side(
                "raw-sequential", "node: the \(callCount) calls, one after another", "direct client.call, no evaluator",
                perRound: options.coldPerRound, evaluation: false),
            side(
                "raw-concurrent", "node: the \(callCount) calls, concurrently", "direct client.call in a task group",
                perRound: options.coldPerRound, evaluation: false),
            side(
                "raw-batch", "node: the \(callCount) calls, one JSON-RPC batch", "client.calls, one HTTP exchange",
                perRound: options.coldPerRound, evaluation: false),
            side(
                "construct", "building an AttributeEvaluator", "graph + ABIs; not in the cold figure",
                perRound: options.coldPerRound, evaluation: false),
        ]

        let ethCallP50 = Summary.median(samples["eth_call"]!)
        func ratio(_ id: String, _ label: String, numerator: String, scale: Double, against: String) -> EvalRatio {
            let top = roundMedians[numerator]!
            let bottom = roundMedians[against]!
            return EvalRatio(
                id: id, label: label,
                ofMedians: Summary.median(samples[numerator]!) / (scale * Summary.median(samples[against]!)),
                medianOfPairedRounds: Summary.median(zip(top, bottom).map { $0 / (scale * $1) }))
        }
        let ratios = [
            ratio(
                "cold/sequential-limit", "cold / (\(callCount) × eth_call p50)", numerator: "cold", scale: Double(callCount),
                against: "eth_call"),
            ratio("cold/one-call", "cold / (1 × eth_call p50)", numerator: "cold", scale: 1, against: "eth_call"),
            ratio(
                "cold/raw-concurrent", "cold / the \(callCount) calls made concurrently", numerator: "cold", scale: 1,
                against: "raw-concurrent"),
            ratio(
                "cold/raw-sequential", "cold / the \(callCount) calls made one after another", numerator: "cold", scale: 1,
                against: "raw-sequential"),
            ratio("cold/raw-batch", "cold / the \(callCount) calls as one batch", numerator: "cold", scale: 1, against: "raw-batch"),
            ratio("warm/one-call", "warm / (1 × eth_call p50)", numerator: "warm", scale: 1, against: "eth_call"),
        ]
        let sequentialRatio = ratios[0].ofMedians

        return EvalReport(
            date: ISO8601DateFormatter().string(from: Date()),
            machine: EvalMachine.current(),
            node: NodeInfo(
                rpcUrl: manifest.rpcUrl, chainId: manifest.chainId, pinnedBlock: manifest.blockNumberAfterSetup,
                headAtStart: head, ticketContract: ticket.checksummed, versions: manifest.versions ?? [:]),
            tokenScript: options.tokenScript, token: token.name, tokenId: token.tokenId,
            attributes: attributes, ethCallAttributes: chainAttributes.count,
            ethCallsPerColdEvaluation: callCount, ethCallsPerWarmEvaluation: 0,
            coldCalls: coldCalls.map { Hex.encode(Array($0.data.prefix(4))) },
            rounds: options.rounds, warmupRounds: 2, sides: results,
            ethCallP50Ms: ethCallP50 * 1000, sequentialLimitMs: ethCallP50 * Double(callCount) * 1000,
            ratios: ratios, coldBeatsSequentialSum: sequentialRatio < 1)
    }

    /// `count` runs of one operation, each timed by the operation itself.
    func repeated(_ count: Int, _ body: () async throws -> Double) async throws -> [Double] {
        var samples: [Double] = []
        for _ in 0..<count { samples.append(try await body()) }
        return samples
    }
}
