import TokenScriptEthereum
import TokenScriptModel

/// How the evaluator reaches a chain: the client for a chain id, or why there is none.
public typealias ChainLookup = @Sendable (UInt64) throws(ChainError) -> any ChainClient

/// Evaluates a TokenScript's attributes, selections and card availability for one token at a time.
///
/// Built once per TokenScript (the dependency graph and the parsed `ts:abi`s are reused); each
/// `evaluate` call resolves the block once, computes every attribute at most once, and runs
/// independent attributes concurrently. Chain reads go through the shared `EvaluationCache`.
public struct AttributeEvaluator: Sendable {
    public let tokenScript: TokenScript
    public let graph: DependencyGraph
    public let cache: EvaluationCache
    let chains: ChainLookup
    /// Deployment overrides by contract name, used on every chain before the TokenScript's addresses.
    let contractAddresses: [String: EthereumAddress]
    /// Each contract's `ts:abi`, parsed once: the contract or why its ABI is unusable.
    let abis: [String: Result<ABIContract, ABIJSONError>]

    /// - Parameter contractAddresses: addresses that replace the TokenScript's for the named contracts on
    ///   every chain, for local test nodes and private deployments whose addresses the file cannot know.
    public init(
        tokenScript: TokenScript, chains: @escaping ChainLookup, cache: EvaluationCache = EvaluationCache(),
        contractAddresses: [String: EthereumAddress] = [:]
    ) {
        self.tokenScript = tokenScript
        self.graph = DependencyGraph(tokenScript)
        self.cache = cache
        self.chains = chains
        self.contractAddresses = contractAddresses
        var abis: [String: Result<ABIContract, ABIJSONError>] = [:]
        for contract in tokenScript.contracts {
            if let json = contract.abi {
                abis[contract.name] = Result { () throws(ABIJSONError) in try ABIContract(json: json) }
            }
        }
        self.abis = abis
    }

    /// The contract an origin names (nil: the token's holding contract).
    func contractName(_ name: String?) -> String? { name ?? tokenScript.holdingContract?.name }

    /// The address of a contract on a chain: an override, else the TokenScript's address for that chain.
    ///
    /// No fallback to another chain's address (engine-js takes the first address, iOS the token's
    /// contract): calling an address that belongs to another chain reads some unrelated contract.
    func address(ofContract name: String?, chainID: UInt64) throws(EvaluationError.Reason) -> EthereumAddress {
        guard let name = contractName(name) else { throw .noContract(name: "(token contract)", chainID: chainID) }
        if let override = contractAddresses[name] { return override }
        guard
            let text = tokenScript.contract(named: name)?.addresses.first(where: { UInt64($0.network) == chainID })?
                .address,
            let address = LenientAddress.parse(text)
        else { throw .noContract(name: name, chainID: chainID) }
        return address
    }

    /// The `ts:abi` entry for a function, when the contract has an ABI with a matching overload.
    func abiFunction(contract: String?, name: String, argumentCount: Int) throws(EvaluationError.Reason) -> ABIFunction?
    {
        guard let contract = contractName(contract), let parsed = abis[contract] else { return nil }
        switch parsed {
        case .failure(let error): throw .abi("ts:abi of \(contract): \(error)")
        case .success(let abi): return abi.functions(named: name).first { $0.inputs.count == argumentCount }
        }
    }
}
