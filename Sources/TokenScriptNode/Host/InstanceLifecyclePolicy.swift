/// How long a node keeps instances at rest in memory, and expired ones at all.
///
/// An instance whose state's lifecycle is `dormant` (a car-insurance token waiting for activation) is put to
/// rest after `dormantAfter` seconds without a step or a request: dropped from memory, kept in the store and
/// found there by its next request or input (`InstanceHost+Lifecycle`). One whose state is `expired` is
/// retired `expiredRetention` seconds after its last step or request: its journal is written to
/// `archiveDirectory` and deleted from the store, and a request for it answers 410 (in a network, once its
/// executor has logged the retirement). With no archive directory, expired instances are kept.
public struct InstanceLifecyclePolicy: Sendable, Equatable {
    public var dormantAfter: UInt64
    public var expiredRetention: UInt64
    public var archiveDirectory: String?

    /// One minute at rest, thirty days of retention: a dormant token's next request costs a read of the store,
    /// and an expired token's holder can still read its final state for a month.
    public static let defaultDormantAfter: UInt64 = 60
    public static let defaultExpiredRetention: UInt64 = 30 * 86_400

    public init(
        dormantAfter: UInt64 = Self.defaultDormantAfter, expiredRetention: UInt64 = Self.defaultExpiredRetention,
        archiveDirectory: String? = nil
    ) {
        self.dormantAfter = dormantAfter
        self.expiredRetention = expiredRetention
        self.archiveDirectory = archiveDirectory
    }
}
