import TokenScriptEngine

/// The one rule for replacing a stored instance, shared by every `InstanceStore`: the stored step must be the
/// one the caller read, the definition must not change, and the step must advance.
public enum InstanceReplacement {
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
