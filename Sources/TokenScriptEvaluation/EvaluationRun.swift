import TokenScriptEthereum
import TokenScriptModel

/// The state of one `evaluate` call: each attribute's single computation and each chain's block.
///
/// Holding the in-flight task per attribute is what makes every value computed once, even when several
/// attributes and selections ask for it at the same time.
actor EvaluationRun {
    let evaluator: AttributeEvaluator
    let context: EvaluationContext
    private var outcomes: [AttributeKey: Task<Result<EvaluatedAttribute, EvaluationError>, Never>] = [:]
    private var blocks: [UInt64: Task<Result<UInt64, ChainError>, Never>] = [:]

    init(evaluator: AttributeEvaluator, context: EvaluationContext) {
        self.evaluator = evaluator
        self.context = context
    }

    /// The attribute's value or error, computing it on first request.
    func outcome(of key: AttributeKey) async -> Result<EvaluatedAttribute, EvaluationError> {
        if let running = outcomes[key] { return await running.value }
        let computation = OriginEvaluation(evaluator: evaluator, context: context, run: self, key: key)
        let task = Task { await computation.evaluate() }
        outcomes[key] = task
        return await task.value
    }

    /// The block every read on `chainID` uses: the context's pinned number, or `latest` asked once.
    func block(onChain chainID: UInt64) async -> Result<UInt64, ChainError> {
        if case .number(let number) = context.block { return .success(number) }
        if let running = blocks[chainID] { return await running.value }
        let chains = evaluator.chains
        let task = Task { () -> Result<UInt64, ChainError> in
            do throws(ChainError) { return .success(try await chains(chainID).blockNumber()) } catch {
                return .failure(error)
            }
        }
        blocks[chainID] = task
        return await task.value
    }

    /// The block of `chainID` if some read already resolved it.
    func resolvedBlock(onChain chainID: UInt64) async -> UInt64? {
        if case .number(let number) = context.block { return number }
        guard let task = blocks[chainID] else { return nil }
        return try? await task.value.get()
    }

    func cancelAll() {
        for task in outcomes.values { task.cancel() }
        for task in blocks.values { task.cancel() }
    }
}
