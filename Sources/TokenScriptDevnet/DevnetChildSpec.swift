/// One child the devnet starts: its name (in the manifest and in errors), its role and its arguments to the
/// devnet's own executable.
public struct DevnetChildSpec: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        case anchor
        case serviceNode = "service node"
    }

    public var name: String
    public var role: Role
    public var arguments: [String]

    public init(name: String, role: Role, arguments: [String]) {
        self.name = name
        self.role = role
        self.arguments = arguments
    }
}
