import TokenScriptAttestation

/// The attestation log of one process: per-topic arrays in an actor, fenced by an in-memory lease table.
///
/// Appends are serialised by the actor and run under the lease table's lock (`fenced(by:_:)`), so an
/// election cannot come between the epoch check and the write. Subscribers are fed from inside the append,
/// in position order, with unbounded buffers: a slow reader costs memory, not entries. Nothing survives the
/// process.
public actor InMemoryAttestationLog: AttestationLog {
    private typealias Subscriber = AsyncThrowingStream<LogEntry, any Error>.Continuation

    private let leases: InMemoryLeaseAuthority
    /// Topics and ids are keyed by their bytes (`ExactText`), as a database keys them: Swift `String` equality
    /// would merge canonically equivalent topics (or ids) the log must keep apart.
    private var topics: [ExactText: [LogEntry]] = [:]
    private var byID: [ExactText: LogEntry] = [:]
    /// Topics in the order of their first entries.
    private var topicOrder: [String] = []
    private var subscribers: [ExactText: [UInt64: Subscriber]] = [:]
    private var nextSubscriber: UInt64 = 0

    /// A log whose fenced appends are checked against `leases`.
    public init(fencing leases: InMemoryLeaseAuthority) {
        self.leases = leases
    }

    /// Ends every subscription: a reader of a log that is gone stops instead of waiting forever.
    deinit {
        for subscribers in subscribers.values {
            for subscriber in subscribers.values { subscriber.finish() }
        }
    }

    public func append(_ attestation: Attestation, fencedBy lease: ExecutorLease?) throws -> LogAppend {
        if let field = attestation.firstMalformedField { throw AttestationLogError.malformed(field: field) }
        return try leases.fenced(by: lease) {
            if let logged = byID[ExactText(attestation.id)] {
                // By the wire bytes, as a database compares them: `Attestation ==` compares its texts as Swift
                // strings, which would take a canonically equivalent respelling for the same content.
                guard logged.attestation.json.utf8.elementsEqual(attestation.json.utf8) else {
                    throw AttestationLogError.conflictingAttestation(
                        id: attestation.id, loggedAt: "\(logged.topic) position \(logged.position)")
                }
                return .alreadyLogged(logged)
            }
            let topic = ExactText(attestation.topic)
            let position = UInt64(topics[topic, default: []].count) + 1
            let entry = LogEntry(position: position, attestation: attestation, fence: lease)
            if position == 1 { topicOrder.append(attestation.topic) }
            topics[topic, default: []].append(entry)
            byID[ExactText(attestation.id)] = entry
            for subscriber in subscribers[topic, default: [:]].values { subscriber.yield(entry) }
            return .appended(entry)
        }
    }

    public func head(of topic: String) -> UInt64 { UInt64(topics[ExactText(topic), default: []].count) }

    public func entry(topic: String, position: UInt64) -> LogEntry? {
        guard position >= 1, position <= head(of: topic) else { return nil }
        return topics[ExactText(topic)]?[Int(position - 1)]
    }

    public func entries(topic: String, from position: UInt64, limit: Int) throws -> [LogEntry] {
        guard position >= 1, limit >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: limit) }
        return Array(backlog(of: topic, from: position).prefix(limit))
    }

    public func topics(from position: UInt64, limit: Int) throws -> [LogTopic] {
        guard position >= 1, limit >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: limit) }
        guard position <= UInt64(topicOrder.count) else { return [] }
        return topicOrder[Int(position - 1)...].prefix(limit).enumerated().map { offset, topic in
            LogTopic(position: position + UInt64(offset), topic: topic)
        }
    }

    public func subscribe(topic: String, from position: UInt64) throws -> AsyncThrowingStream<LogEntry, any Error> {
        guard position >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: 1) }
        let (stream, subscriber) = AsyncThrowingStream.makeStream(of: LogEntry.self, throwing: (any Error).self)
        for entry in backlog(of: topic, from: position) { subscriber.yield(entry) }
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[ExactText(topic), default: [:]][id] = subscriber
        subscriber.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(topic: topic, id: id) }
        }
        return stream
    }

    /// Subscriptions still fed on `topic`: ended streams are dropped shortly after they end.
    public func subscriberCount(of topic: String) -> Int { subscribers[ExactText(topic)]?.count ?? 0 }

    private func backlog(of topic: String, from position: UInt64) -> ArraySlice<LogEntry> {
        let entries = topics[ExactText(topic), default: []]
        guard position <= UInt64(entries.count) else { return [] }
        return entries[Int(position - 1)...]
    }

    private func unsubscribe(topic: String, id: UInt64) {
        subscribers[ExactText(topic)]?[id] = nil
        if subscribers[ExactText(topic)]?.isEmpty == true { subscribers[ExactText(topic)] = nil }
    }
}
