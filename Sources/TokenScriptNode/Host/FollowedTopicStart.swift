import TokenScriptEffects

/// Where a node starts reading a log topic an instance newly follows. Inputs logged before an instance needed a
/// topic are not its inputs, so reading starts after the topic's head, except on `changes/<instance>`: a
/// change is a value, not an event, and the latest one is the followed instance's current state, so a follower
/// starts with it (created after its registration was, a smart car still learns that it is registered).
enum FollowedTopicStart {
    /// The first position to read of `topic`, whose head is `head`.
    static func position(of topic: String, head: UInt64) -> UInt64 {
        ChangeAttestations.isChangeTopic(topic) && head > 0 ? head : head + 1
    }
}
