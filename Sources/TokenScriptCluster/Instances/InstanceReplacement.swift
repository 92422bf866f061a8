import TokenScriptEngine

/// The rules of an `InstanceStore`'s writes, shared by every store: what an instance and its lease must be, and for
/// a replacement, that the stored step is the one the caller read, the definition does not change, and the step
/// advances.
public enum InstanceReplacement {
    /// Refuses an instance without an id or a definition, and a lease of another instance: what every store checks
    /// before a `create` or `replace`.
    public static func validate(_ instance: TokenInstance, lease: ExecutorLease?) throws(InstanceStoreError) {
        if instance.id.isEmpty { throw .emptyName(field: "instance id") }
        if instance.definitionID.isEmpty { throw .emptyName(field: "definition id") }
        if let lease, lease.instance != instance.id {
            throw .leaseForOtherInstance(instance: instance.id, lease: lease)
        }
    }

    /// Throws the reason `replacement` may not take the place of `current` when the caller expected `expectedStep`.
    public static func check(current: TokenInstance, expectedStep: UInt64, replacement: TokenInstance) throws {
        guard current.step == expectedStep else {
            throw InstanceStoreError.stepMismatch(
                instance: replacement.id, expected: expectedStep, stored: current.step)
        }
        guard current.definitionID == replacement.definitionID else {
            throw InstanceStoreError.definitionChanged(
                instance: replacement.id, stored: current.definitionID, presented: replacement.definitionID)
        }
        guard replacement.step > current.step else {
            throw InstanceStoreError.stepNotAdvancing(
                instance: replacement.id, from: current.step, to: replacement.step)
        }
    }
}
