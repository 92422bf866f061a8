extension SLOStanding {
    /// The placement weight a node of `capacity` keeps at this standing: all of it while it keeps its objective,
    /// a quarter (at least 1) while a ticket-level rule fires, so about three in four of the instances it hosts
    /// move to their next host by rank, and 0 while a page-level rule fires: it is relieved of every instance,
    /// and of every executor seat, until the short window recovers.
    ///
    /// Rendezvous hashing moves only the instances whose ranking the new weight changes; the others stay put.
    public func placementWeight(capacity: UInt32) -> UInt32 {
        switch level {
        case nil: return capacity
        case .ticket: return max(1, capacity / 4)
        case .page: return 0
        }
    }
}
