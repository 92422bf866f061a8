import TokenScriptEthereum
import TokenScriptModel

/// The refs the runtime provides: `tokenId`, `ownerAddress`, `walletAddress`, `contractAddress`
/// and `contractAddress_<Name>[_<chainId>]`.
struct SpecialValues {
    let evaluator: AttributeEvaluator
    let context: EvaluationContext

    func value(of name: String) throws(EvaluationError.Reason) -> AttributeValue {
        switch name {
        case "tokenId":
            guard let tokenID = context.tokenID else { throw .noTokenID }
            return .uint(tokenID)
        case "ownerAddress":
            // For fungible tokens the owner is the wallet (engine-js, iOS).
            guard let owner = context.owner ?? context.wallet else { throw .missingContext("ownerAddress") }
            return .address(owner)
        case "walletAddress":
            guard let wallet = context.wallet ?? context.owner else { throw .missingContext("walletAddress") }
            return .address(wallet)
        case "contractAddress":
            return .address(try evaluator.address(ofContract: nil, chainID: context.chainID))
        default:
            let (contract, chainID) = contractReference(String(name.dropFirst("contractAddress_".count)))
            return .address(try evaluator.address(ofContract: contract, chainID: chainID))
        }
    }

    /// `Name` or `Name_<chainId>`; a declared contract whose own name ends in `_<digits>` wins.
    private func contractReference(_ suffix: String) -> (String, UInt64) {
        if evaluator.tokenScript.contract(named: suffix) != nil { return (suffix, context.chainID) }
        if let separator = suffix.lastIndex(of: "_"), let chainID = UInt64(suffix[suffix.index(after: separator)...]) {
            return (String(suffix[..<separator]), chainID)
        }
        return (suffix, context.chainID)
    }
}
