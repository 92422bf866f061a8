/// Says which lease is current for an instance: the read side of the election, all an executor needs.
///
/// The executor checks its lease before every attempt; stores check it inside the write they guard
/// (see `ExecutorElection`).
public protocol LeaseAuthority: Sendable {
    /// The live lease of `instance`; nil when nobody holds it (never held, released or expired).
    ///
    /// An implementation that cannot answer (its store is unreachable) answers nil: the executor then
    /// refuses to send, which is the safe side of fencing.
    func currentLease(of instance: String) async -> ExecutorLease?
}
