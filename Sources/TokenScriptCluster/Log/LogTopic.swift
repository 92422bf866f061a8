/// A topic of the log at its place in the order topics first appeared: 1, 2, 3, … with no gaps, so a reader
/// that has read up to `position` has seen every topic created before it. How a node finds the topics a prefix
/// pattern (`flight-status/*`) matches, to follow each by position like an exact one.
public struct LogTopic: Sendable, Hashable, Codable {
    public var position: UInt64
    public var topic: String

    public init(position: UInt64, topic: String) {
        self.position = position
        self.topic = topic
    }
}
