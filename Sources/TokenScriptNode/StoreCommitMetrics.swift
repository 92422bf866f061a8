import Prometheus
import Synchronization

/// The store's group commit on `/metrics`: transactions committed and the writes they carried, so an operator
/// sees how many writes share one sync (writes / commits) and how often the node syncs.
///
/// The store counts; these counters catch up with its count at every scrape (they stay at 0 on a store that does
/// not count, PostgreSQL's).
final class StoreCommitMetrics: Sendable {
    private let store: any NodeStore
    private let commits: Counter
    private let writes: Counter
    private let reported = Mutex((batches: 0, writes: 0))

    init(store: any NodeStore, registry: PrometheusCollectorRegistry) {
        self.store = store
        commits = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "tokenscript", subsystem: "store", metricName: "commits", unitName: "total",
                helpText: "Transactions the store committed (each one sync of its file)"))
        writes = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "tokenscript", subsystem: "store", metricName: "writes", unitName: "total",
                helpText: "Writes those transactions carried (log appends, journal steps, leases)"))
    }

    /// Adds what the store committed since the last scrape.
    func update() {
        // Read and swapped under one lock, so two scrapes at once never count a commit twice.
        let added = reported.withLock { reported in
            guard let now = store.groupCommits else { return (batches: 0, writes: 0) }
            defer { reported = now }
            return (batches: now.batches - reported.batches, writes: now.writes - reported.writes)
        }
        commits.increment(by: Int64(added.batches))
        writes.increment(by: Int64(added.writes))
    }
}
