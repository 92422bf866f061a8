import TokenScriptEngine

/// The instance store of one process: a dictionary in an actor, fenced by an in-memory lease table. Ids are keys by
/// their bytes (`ExactText`), as the databases' are: an NFC and an NFD spelling are two instances.
public actor InMemoryInstanceStore: InstanceStore {
    private let leases: InMemoryLeaseAuthority
    private var stored: [ExactText: TokenInstance] = [:]

    /// A store whose fenced writes are checked against `leases`.
    public init(fencing leases: InMemoryLeaseAuthority) {
        self.leases = leases
    }

    public func create(_ instance: TokenInstance, fencedBy lease: ExecutorLease?) throws {
        try InstanceReplacement.validate(instance, lease: lease)
        try leases.fenced(by: lease) {
            guard stored[ExactText(instance.id)] == nil else { throw InstanceStoreError.exists(instance: instance.id) }
            stored[ExactText(instance.id)] = instance
        }
    }

    public func instance(_ id: String) -> TokenInstance? { stored[ExactText(id)] }

    public func replace(_ instance: TokenInstance, expectingStep expectedStep: UInt64, fencedBy lease: ExecutorLease?)
        throws
    {
        try InstanceReplacement.validate(instance, lease: lease)
        try leases.fenced(by: lease) {
            guard let current = stored[ExactText(instance.id)] else {
                throw InstanceStoreError.notFound(instance: instance.id)
            }
            try InstanceReplacement.check(current: current, expectedStep: expectedStep, replacement: instance)
            stored[ExactText(instance.id)] = instance
        }
    }

    public func instances(of definitionID: String) -> [String] {
        stored.values.filter { ExactText($0.definitionID) == ExactText(definitionID) }
            .sorted { ExactText($0.id) < ExactText($1.id) }.map(\.id)
    }

    /// Stores every instance, or none when one id is stored already (`InMemoryInstanceLifecycle.storeResting`).
    func createAll(_ instances: [TokenInstance]) throws {
        var ids = Set<ExactText>()
        for instance in instances {
            try InstanceReplacement.validate(instance, lease: nil)
            guard stored[ExactText(instance.id)] == nil, ids.insert(ExactText(instance.id)).inserted else {
                throw InstanceStoreError.exists(instance: instance.id)
            }
        }
        for instance in instances { stored[ExactText(instance.id)] = instance }
    }

    /// Forgets `id` (a retirement).
    func remove(_ id: String) { stored[ExactText(id)] = nil }

    /// Every stored instance, bytewise by id.
    func summaries() -> [StoredInstanceSummary] {
        stored.values.sorted { ExactText($0.id) < ExactText($1.id) }.map {
            StoredInstanceSummary(id: $0.id, definitionID: $0.definitionID, step: $0.step)
        }
    }
}
