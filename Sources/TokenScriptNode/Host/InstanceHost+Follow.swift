import TokenScriptAttestation
import TokenScriptCluster

/// Network only: a node follows, in the anchor's log and by position, the exact log topics its hosted
/// instances subscribe to (the union, from `NodeSubscriptions`), and leaves an inbox pointer for each hosted
/// instance an entry reaches, so its executor orders it. An attestation posted to any node — one that hosts
/// no instance needing its topic too — is logged there and reaches every instance that needs it: pushing it
/// from the entry node is only the fast path; correctness comes from the positions read here.
///
/// Where an instance starts on a topic it newly follows (created, adopted, reopened after a restart, or its
/// subscription moved after a step): after the highest position of that topic already ordered for it (its
/// order records), so a restart or a return to a topic misses nothing logged since; else after the topic's
/// head when following starts (entries logged before the instance needed the topic are not its inputs), or at
/// the head on `changes/…`, whose latest entry is the followed instance's current value (`FollowedTopicStart`).
/// Prefix patterns (`topic/*`): the node reads the log's topic index (`DiscoveredTopics`) and follows every
/// topic a pattern matches the same way; a topic created after the instance started following the pattern is
/// followed from its first entry.
extension InstanceHost {
    /// Brings the topics followed for `id` to its subscription's exact log topics (none once it is released),
    /// starting and stopping topic readers as the union changes. A topic whose start cannot be read now (the
    /// anchor unreachable) is tried again at the next network tick.
    func followTopics(of id: String) async {
        // A resting instance keeps the topics and positions it had (`InstanceHost+Lifecycle`).
        guard case .anchored = seat, !resting.contains(id) else { return }
        var wanted: Set<ExactText> = []
        /// Topics a prefix pattern matches that were created after the instance started following the pattern.
        var createdSince: Set<ExactText> = []
        var prefixes: Set<SubscriptionPattern> = []
        if hosted[id] != nil, let subscription = subscriptions.subscription(of: id) {
            wanted = Set(subscription.logPatterns.filter { $0.match == .exact }.map(\.text))
            prefixes = Set(subscription.logPatterns.filter { $0.match == .prefix })
        }
        if prefixes.contains(where: { !discovered.hasStarted($0, for: id) }) {
            // A pattern newly needed: the index read up to now first, so its start is where the log is now.
            do { try await readTopicIndex() } catch {
                // Not started without it (a stale index would date old topics as new): tried again at the tick.
                logger.warning("cannot read the topic index", metadata: ["error": "\(error)"])
                topicsPending.insert(id)
                prefixes = prefixes.filter { discovered.hasStarted($0, for: id) }
            }
        }
        discovered.forget(id, keeping: prefixes)
        for pattern in prefixes {
            let start = discovered.start(of: pattern, for: id)
            for found in discovered.matching(pattern) {
                wanted.insert(found.topic)
                if found.position > start { createdSince.insert(found.topic) }
            }
        }
        let current = followed.topics(of: id)
        for topic in current.subtracting(wanted) {
            if followed.remove(instance: id, topic: topic) { topicReaders.removeValue(forKey: topic)?.task.cancel() }
        }
        for topic in wanted.subtracting(current).sorted() {
            let start: UInt64
            if let highest = hosted[id]?.ordered.highest(of: topic) {
                start = highest + 1
            } else if createdSince.contains(topic) {
                start = 1
            } else {
                do {
                    let head = try await log.head(of: topic.description)
                    start = FollowedTopicStart.position(of: topic.description, head: head)
                } catch {
                    logger.warning(
                        "cannot read a topic's head", metadata: ["topic": "\(topic)", "error": "\(error)"])
                    topicsPending.insert(id)
                    continue
                }
            }
            // Still hosted and still needing it after the read (a step or a release may have come in between).
            guard hosted[id] != nil, subscriptions.subscription(of: id)?.needs(topic.description) == true else {
                continue
            }
            followed.add(instance: id, topic: topic, from: start)
            readTopic(topic)
        }
    }

    /// Reads the log's topic index from where this node stopped until its end; true when it listed a topic a
    /// trigger can be about.
    @discardableResult
    func readTopicIndex() async throws -> Bool {
        var found = false
        while true {
            let page = try await log.topics(from: discovered.cursor + 1, limit: 1_000)
            if discovered.read(page) { found = true }
            if page.count < 1_000 { return found }
        }
    }

    /// Part of the network tick, while a hosted instance needs a prefix pattern: reads the topics created since
    /// the last tick and, when one a trigger can be about appeared, follows it for the instances it matches.
    func discoverTopics() async {
        let needing = hosted.keys.filter { id in
            subscriptions.subscription(of: id)?.logPatterns.contains { $0.match == .prefix } == true
        }
        guard !needing.isEmpty else { return }
        let found: Bool
        do { found = try await readTopicIndex() } catch {
            logger.warning("cannot read the topic index", metadata: ["error": "\(error)"])
            return
        }
        guard found else { return }
        for id in needing.sorted() { await followTopics(of: id) }
    }

    /// Retries the instances whose topics could not all be followed; part of the network tick.
    func followPendingTopics() async {
        let pending = topicsPending
        topicsPending = []
        for id in pending.sorted() { await followTopics(of: id) }
    }

    /// Starts the reader of `topic` from its lowest next position, or restarts it when an instance now starts
    /// before the position it reached.
    func readTopic(_ topic: ExactText) {
        guard let start = followed.start(of: topic) else { return }
        if let reader = topicReaders[topic], reader.next <= start { return }
        topicReaders[topic]?.task.cancel()
        let log = self.log
        let logger = self.logger
        let task = Task {
            var from = start
            while !Task.isCancelled {
                do {
                    for try await entry in try await log.subscribe(topic: topic.description, from: from) {
                        try await self.route(entry, of: topic)
                        from = entry.position + 1
                    }
                } catch  where !Task.isCancelled {
                    // Read again from the first entry not yet routed: nothing is skipped.
                    logger.warning("topic reader ended", metadata: ["topic": "\(topic)", "error": "\(error)"])
                } catch { return }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        topicReaders[topic] = TopicReader(task: task, next: start)
    }

    /// Hands the entry to every hosted instance it counts for; throws (so the reader retries from it) when a
    /// pointer could not be left.
    private func route(_ entry: LogEntry, of topic: ExactText) async throws {
        remember(entry)
        for id in followed.instances(counting: entry.position, of: topic) {
            // An instance at rest here comes back for it (thrown: the reader retries from this entry).
            if resting.contains(id) { _ = try await awake(id) }
            try await leavePointer(to: entry, for: id)
            followed.pass(instance: id, topic: topic, position: entry.position)
        }
        if let reader = topicReaders[topic], reader.next <= entry.position {
            topicReaders[topic]?.next = entry.position + 1
        }
    }

    /// Passes `entry` on for `id` unless it is ordered or pointed at already, when the instance's definition
    /// trusts it (as `submit` checks before logging): the elected executor orders it at once; any other host
    /// leaves a pointer for the executor (and its tick asks the anchor to elect while it stays unordered).
    private func leavePointer(to entry: LogEntry, for id: String) async throws {
        guard let hostedEntry = hosted[id] else { return }
        let key = HostedInstance.orderKey(topic: entry.topic, position: entry.position)
        guard !hostedEntry.ordered.contains(key), !hostedEntry.pointed.contains(key) else { return }
        let trust = hostedEntry.script.definition.trust
        guard
            case .success = AttestationVerifier.verify(
                entry.attestation, trust: trust, now: now, seen: SeenAttestations(), signatures: verifiedSignatures)
        else {
            logger.debug("a followed entry is not trusted", metadata: ["instance": "\(id)", "topic": "\(entry.topic)"])
            return
        }
        try await forward(entry, to: id)
    }
}

/// The reader of one followed topic and the next position it routes.
struct TopicReader: Sendable {
    let task: Task<Void, Never>
    var next: UInt64
}
