import TokenScriptEngine

/// The instance store of one process: a dictionary in an actor, fenced by an in-memory lease table.
public actor InMemoryInstanceStore: InstanceStore {
    private let leases: InMemoryLeaseAuthority
    private var stored: [String: TokenInstance] = [:]

    /// A store whose fenced writes are checked against `leases`.
    public init(fencing leases: InMemoryLeaseAuthority) {
        self.leases = leases
    }

    public func create(_ instance: TokenInstance, fencedBy lease: ExecutorLease?) throws {
        try InstanceReplacement.validate(instance, lease: lease)
        try leases.fenced(by: lease) {
            guard stored[instance.id] == nil else { throw InstanceStoreError.exists(instance: instance.id) }
            stored[instance.id] = instance
        }
    }

    public func instance(_ id: String) -> TokenInstance? { stored[id] }

    public func replace(_ instance: TokenInstance, expectingStep expectedStep: UInt64, fencedBy lease: ExecutorLease?)
        throws
    {
        try InstanceReplacement.validate(instance, lease: lease)
        try leases.fenced(by: lease) {
            guard let current = stored[instance.id] else { throw InstanceStoreError.notFound(instance: instance.id) }
            try InstanceReplacement.check(current: current, expectedStep: expectedStep, replacement: instance)
            stored[instance.id] = instance
        }
    }

    public func instances(of definitionID: String) -> [String] {
        stored.values.filter { $0.definitionID == definitionID }.map(\.id).sorted()
    }

    /// Stores every instance, or none when one id is stored already (`InMemoryInstanceLifecycle.storeResting`).
    func createAll(_ instances: [TokenInstance]) throws {
        var ids = Set<String>()
        for instance in instances {
            try InstanceReplacement.validate(instance, lease: nil)
            guard stored[instance.id] == nil, ids.insert(instance.id).inserted else {
                throw InstanceStoreError.exists(instance: instance.id)
            }
        }
        for instance in instances { stored[instance.id] = instance }
    }

    /// Forgets `id` (a retirement).
    func remove(_ id: String) { stored[id] = nil }

    /// Every stored instance, bytewise by id.
    func summaries() -> [StoredInstanceSummary] {
        stored.values.sorted { ExactText($0.id) < ExactText($1.id) }.map {
            StoredInstanceSummary(id: $0.id, definitionID: $0.definitionID, step: $0.step)
        }
    }
}
