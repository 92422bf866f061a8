import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEngine
import TokenScriptExecutor
import TokenScriptSQLite

/// One instance this node hosts: its journal and live value, its effect coordinator under the lease it was
/// built with, and the bookkeeping of the order rule (which inputs are ordered already). Whether its apply loop
/// runs is the host's (`InstanceHost.applying`), so no copy of this entry can reset it.
struct HostedInstance: Sendable {
    let id: String
    let script: HostedScript
    /// The holder given at creation (`GrantHolder` text): read grants must be signed by it.
    let holder: String
    /// `holder` read once, not for every read; nil when it is not a `GrantHolder` (then no grant can match).
    let holderIdentity: GrantHolder?
    let journal: any JournalStore
    let instance: JournaledInstance
    var coordinator: EffectCoordinator
    /// The lease `coordinator` presents; epoch 0 while this node never executed the instance.
    var coordinatorLease: ExecutorLease
    /// The step stored in the instance store (`SQLiteInstanceStore`), the head it replaces conditionally.
    var storedStep: UInt64
    /// The instance as of its last applied step and that step's journal position: what reads answer, set by
    /// the apply loop after each step, so a read needs no hop into the instance's actor.
    var current: InstanceSnapshot
    /// When it last applied a step or answered a request (clock seconds): how long it has been quiet.
    var activeAt: UInt64
    /// Every input already in `order/<id>`, so an input is ordered once.
    var ordered = OrderedInputs()
    /// Network only: the inputs this node left in `inbox/<id>` and has not seen ordered yet, so it leaves each
    /// pointer once (accepted here and then read again on the topic it follows).
    var pointed = OrderedInputs()

    static func orderKey(topic: String, position: UInt64) -> OrderKey { OrderKey(topic: topic, position: position) }

    /// Records `key` as ordered (no longer only pointed at).
    mutating func markOrdered(_ key: OrderKey) {
        ordered.insert(key)
        pointed.remove(key)
    }
}

/// An instance and the journal position (sequence applied) it is the value of.
struct InstanceSnapshot: Sendable {
    var instance: TokenInstance
    var position: UInt64
}
