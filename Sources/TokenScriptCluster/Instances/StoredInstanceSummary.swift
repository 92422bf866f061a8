/// One hosted instance as a listing shows it: its id, its definition and how many steps it has taken.
public struct StoredInstanceSummary: Sendable, Equatable, Codable {
    public var id: String
    public var definitionID: String
    public var step: UInt64

    public init(id: String, definitionID: String, step: UInt64) {
        self.id = id
        self.definitionID = definitionID
        self.step = step
    }
}
