/// The executor role for one token instance, with its fencing epoch.
///
/// Only the holder of the current lease runs that instance's effects. Every takeover raises the epoch,
/// so a paused or partitioned executor still holding an old lease is refused before it sends anything.
/// The epoch never enters the idempotency key: the new holder repeats the old holder's calls as the same calls.
/// This pair is the fencing token every guarded write carries (Kleppmann): a store accepts the write only
/// while (instance, epoch) is still the current lease.
public struct ExecutorLease: Sendable, Hashable, Codable, CustomStringConvertible {
    public var instance: String
    public var epoch: UInt64

    public init(instance: String, epoch: UInt64) {
        self.instance = instance
        self.epoch = epoch
    }

    public var description: String { "\(instance)@\(epoch)" }
}
