/// The node's clock, injected so that the engine reads it in exactly one place: when an input is accepted.
///
/// Nothing that decides a transition reads it afterwards; the time it gave is fixed in the `AcceptedInput`,
/// journaled as the entry's `receivedAt`, and used by every replica and by replay in its place. The engine
/// has no clock of its own: a node passes its wall clock in, tests and tools a fixed one.
public protocol EngineClock: Sendable {
    /// Unix seconds now.
    func unixSeconds() -> UInt64
}

/// A clock that always says the same time: tests, and tools that take the time as an argument.
public struct FixedEngineClock: EngineClock {
    public var time: UInt64

    public init(_ time: UInt64) { self.time = time }

    public func unixSeconds() -> UInt64 { time }
}
