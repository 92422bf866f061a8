import TokenScriptEffects
import TokenScriptRuntime

/// What the command line hands the node to host instances with: the loaded scripts and the adapters it chose
/// (the sandbox pool as `ScriptRuntime`, the HTTP effect transport under the node's egress policy). The node
/// module reads no documents and starts no workers itself.
public struct NodeHosting: Sendable {
    public var scripts: [HostedScript]
    public var runtime: any ScriptRuntime
    public var effectTransport: any EffectTransport

    public init(scripts: [HostedScript], runtime: any ScriptRuntime, effectTransport: any EffectTransport) {
        self.scripts = scripts
        self.runtime = runtime
        self.effectTransport = effectTransport
    }
}
