import TokenScriptRuntime

/// `events` entry of a transition's result: something the instance announces (topic `instance/<type>`).
public struct EmittedEvent: Sendable, Hashable {
    public var type: String
    /// `data` as returned; `.null` when the transition gave none.
    public var data: SandboxValue

    public init(type: String, data: SandboxValue = .null) {
        self.type = type
        self.data = data
    }

    public var topic: String { "instance/" + type }

    var canonicalValue: SandboxValue { .object(["type": .string(type), "data": data]) }
}

/// `effects` entry of a transition's result: a web API call to run after the step is journaled.
///
/// Only recorded for now; running effects (retries, idempotency keys, anchoring) is a later part of the engine.
public struct EffectRequest: Sendable, Hashable {
    /// An `sl:effect` name; the transition's result is refused if the extension declares no such effect.
    public var name: String
    /// `input` as returned; `.null` when the transition gave none.
    public var input: SandboxValue

    public init(name: String, input: SandboxValue = .null) {
        self.name = name
        self.input = input
    }

    var canonicalValue: SandboxValue { .object(["name": .string(name), "input": input]) }
}
