/// Failures that are not the transition's fault and must not be journaled as its outcome: the step can
/// be retried. A worker crash or a wall-clock timeout depends on the machine, not on the inputs, so
/// journaling it would make the journal itself non-deterministic; a journal store that refuses an append
/// (another writer got there first, a disk error, a replay that diverged) leaves the instance unchanged.
///
/// A value with a reason, as WasmKit's `Trap`: callers switch on `reason`; `description` is the wording
/// the CLI prints.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The sandbox's wall-clock backstop ended `trigger`'s transition (a slow machine, not the script).
        case sandboxTimeLimit(trigger: String)
        /// The runtime's worker died under `trigger`'s transition.
        case workerCrashed(trigger: String, message: String)
        /// The journal store refused or failed the step's entry; nothing was journaled.
        case journalStore(JournalStoreError)
        /// A replay reached the point of sending `effect`'s request: replay must never execute an effect
        /// (the journal holds its outcome), so the replay stops there.
        case replayExecutedEffect(effect: String)
    }

    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .sandboxTimeLimit(let trigger):
            "trigger \(trigger): the sandbox's wall-clock limit ended the transition; retry"
        case .workerCrashed(let trigger, let message): "trigger \(trigger): sandbox worker crashed: \(message)"
        case .journalStore(let error): "journal: \(error.description)"
        case .replayExecutedEffect(let effect):
            "replay tried to execute effect \(effect): refused (a journal holds every outcome; nothing is sent)"
        }
    }
}
