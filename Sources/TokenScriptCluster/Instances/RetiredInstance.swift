/// An instance retired after it expired: what is left of it in the store.
public struct RetiredInstance: Sendable, Equatable {
    public var id: String
    public var definitionID: String
    /// Its last step and the state hash after it.
    public var step: UInt64
    public var stateHash: String
    /// When it was retired (Unix seconds).
    public var retiredAt: UInt64
    /// Where its journal was archived (a path of the node's archive directory).
    public var archive: String

    public init(id: String, definitionID: String, step: UInt64, stateHash: String, retiredAt: UInt64, archive: String) {
        self.id = id
        self.definitionID = definitionID
        self.step = step
        self.stateHash = stateHash
        self.retiredAt = retiredAt
        self.archive = archive
    }
}
