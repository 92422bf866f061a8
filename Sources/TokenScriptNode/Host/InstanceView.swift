import TokenScriptEngine
import TokenScriptRuntime

/// An instance as the API answers it: its value, the hash replicas compare, the journal position it reflects
/// and the script that produced it.
public struct InstanceView: Sendable, Hashable {
    public var id: String
    public var script: String
    public var scriptHash: String
    public var state: String
    public var attributes: [String: SandboxValue]
    public var stateHash: String
    /// The journal sequence applied (= the `order/<id>` position applied).
    public var position: UInt64
    public var holder: String

    init(_ instance: TokenInstance, script: HostedScript, position: UInt64, holder: String) {
        self.id = instance.id
        self.script = script.name
        self.scriptHash = script.scriptHash
        self.state = instance.state
        self.attributes = instance.attributes
        self.stateHash = instance.stateHash
        self.position = position
        self.holder = holder
    }

    /// The JSON answer's members.
    public var value: SandboxValue {
        .object([
            "id": .string(id), "script": .string(script), "scriptHash": .string(scriptHash), "state": .string(state),
            "attributes": .object(attributes), "stateHash": .string(stateHash),
            "position": .int(Int64(clamping: position)), "holder": .string(holder),
        ])
    }
}

extension InstanceView {
    /// The instance in the list: no state or attributes (those need a grant), but which script and version.
    public var listed: SandboxValue {
        .object([
            "id": .string(id), "script": .string(script), "scriptHash": .string(scriptHash),
            "stateHash": .string(stateHash), "position": .int(Int64(clamping: position)),
        ])
    }
}

/// What an interface call answers: the result and the instance version it was computed from.
public struct InterfaceAnswer: Sendable, Hashable {
    public let result: SandboxValue
    public let stateHash: String
    public let position: UInt64
    public let scriptHash: String
    /// The HTTP answer's body (the members above and `"status":"ok"`, canonical JSON), encoded once: a cached
    /// answer is served as these bytes, not encoded again for every read.
    public let json: [UInt8]

    public init(result: SandboxValue, stateHash: String, position: UInt64, scriptHash: String) {
        self.result = result
        self.stateHash = stateHash
        self.position = position
        self.scriptHash = scriptHash
        self.json = Array(
            JSONResponses.body([
                "result": result, "stateHash": .string(stateHash), "position": .int(Int64(clamping: position)),
                "scriptHash": .string(scriptHash),
            ]).utf8)
    }
}

/// What `POST /v1/attestations` answers: where the attestation is in the log and which instances it reaches.
public struct SubmittedAttestation: Sendable, Hashable {
    public var topic: String
    public var position: UInt64
    /// Whether it was logged already (a retry): nothing was appended or ordered again.
    public var alreadyLogged: Bool
    public var instances: [String]
}

/// One applied step, as the event stream sends it.
public struct InstanceEvent: Sendable, Hashable {
    public var position: UInt64
    public var state: String
    public var stateHash: String
    public var trigger: String?

    public var value: SandboxValue {
        .object([
            "position": .int(Int64(clamping: position)), "state": .string(state), "stateHash": .string(stateHash),
            "trigger": trigger.map(SandboxValue.string) ?? .null,
        ])
    }
}

/// What an instance's event stream carries: each applied step, a keep-alive on a quiet stream (so a reader
/// that went away is noticed at the next write), and, last, the end of the grant it was opened with.
public enum InstanceStreamItem: Sendable, Hashable {
    case step(InstanceEvent)
    case keepalive
    /// The grant expired: the stream ends here, and the reader needs a fresh grant to go on.
    case grantExpired
}
