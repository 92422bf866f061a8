import TokenScriptEngine

/// One TokenScript a node hosts instances of, as the command line loaded it: the definition (its server
/// extension already prepared with this node's executor and anchor keys, `ExecutorTrust.prepare`), the
/// `ts:env` values effects read, and the SHA-256 of the file's bytes, which every instance answer carries so
/// a client knows exactly which script produced the state it reads.
public struct HostedScript: Sendable {
    /// The name clients create instances by (`POST /v1/instances {"script": name}`): the file's base name.
    public var name: String
    public var definition: TokenDefinition
    public var environment: [String: String]
    /// Lower-case hex SHA-256 of the TokenScript file's bytes.
    public var scriptHash: String
    /// Whether a hosted script follows this token (`sl:follow token=`): then its executors publish every change
    /// of its instances on `changes/<instance>`.
    public var followed: Bool

    public init(
        name: String, definition: TokenDefinition, environment: [String: String], scriptHash: String,
        followed: Bool = false
    ) {
        self.name = name
        self.definition = definition
        self.environment = environment
        self.scriptHash = scriptHash
        self.followed = followed
    }

    /// The trigger names, in document order.
    public var triggers: [String] { definition.server.triggers.map(\.name) }
    /// The read-only interface names, in document order.
    public var interfaces: [String] { definition.server.interfaces.map(\.name) }
}
