/// `sl:follow name= attribute= token=`: another token instance whose changes this one follows (the smart car
/// follows its registration, insurance and maintenance tokens).
///
/// The followed instance's id is held by a stored string attribute, so which instance is followed is the
/// instance's own data (set at creation, moved by a transition) and its subscription is computed like any
/// other topic with `${name}`: `changes/${attribute}`. Every change of state or stored attributes of the
/// followed instance is published there by its executor (`ChangeAttestations`), and an `sl:on-change
/// follow=` trigger fires on it.
public struct FollowedToken: Sendable, Hashable, Codable {
    /// The prefix of the topic every instance's changes are published on: `changes/<instance id>`.
    public static let topicPrefix = "changes/"
    /// The type of every change attestation.
    public static let changeType = "change"

    /// `name=`: unique among the follows; `sl:on-change follow=` names it.
    public var name: String
    /// `attribute=`: the stored `string` attribute holding the followed instance's id.
    public var attribute: String
    /// `token=`: the `ts:token name=` of the followed token, so a node can check it hosts that token too.
    public var token: String
    public var location: SourceLocation?

    public init(name: String, attribute: String, token: String, location: SourceLocation? = nil) {
        self.name = name
        self.attribute = attribute
        self.token = token
        self.location = location
    }

    /// The topic pattern an `sl:on-change` on this follow listens to: `changes/${attribute}`.
    public var topic: TopicPattern { TopicPattern(Self.topicPrefix + "${" + attribute + "}") }
}
