/// What the story may do to the devnet it plays on, beyond its API: kill a service node as a crash would, and
/// start it again. Each answers nil, or why it could not.
public struct DemoDevnetControl: Sendable {
    public var kill: @Sendable (_ node: String) async -> String?
    public var startAgain: @Sendable (_ node: String, _ url: String) async -> String?

    public init(
        kill: @escaping @Sendable (_ node: String) async -> String?,
        startAgain: @escaping @Sendable (_ node: String, _ url: String) async -> String?
    ) {
        self.kill = kill
        self.startAgain = startAgain
    }
}
