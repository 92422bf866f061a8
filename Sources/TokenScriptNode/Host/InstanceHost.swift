import Logging
import TokenScriptAnchorClient
import TokenScriptAttestation
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptEngine
import TokenScriptExecutor
import TokenScriptRuntime
import TokenScriptSQLite

/// Hosts the token instances of one node: each instance's journal (`SQLiteJournalStore`) and stored head
/// (`SQLiteInstanceStore`) in the node's store, its `EffectCoordinator` under this node's Ed25519 key, and the
/// node's `NodeSubscriptions` routing log topics to instances.
///
/// Inputs follow the order rule (issue 11 design, "Order"): an accepted attestation is appended to the
/// `AttestationLog`; the executor of each instance it reaches appends one record to `order/<instance>`, fenced
/// by its lease from the `ExecutorElection`; every host applies `order/<instance>` in position order, from the
/// journal's last sequence on (one journal entry per order record), fetching each named input from the log.
/// Effects run only after the requesting step was applied from its order record; their outcome attestations
/// are logged and ordered the same way. Written against `any AttestationLog` and `any ExecutorElection`: a
/// single node passes the SQLite ones of its own store and elects itself; a network node passes its
/// `AnchorMembership`: the anchor's log, and the anchor elects (`InstanceHost+Network`).
public actor InstanceHost {
    public let nodeName: String
    /// Signs order records and effect outcomes, and is the executor key the definitions trust.
    public nonisolated let signer: Ed25519AttestationSigner
    let scripts: [HostedScript]
    let store: any NodeStore
    let log: any AttestationLog
    let seat: ExecutorSeat
    let instanceStore: any InstanceStore
    /// Resting (dormant) and retired instances in the store, and when to move instances there.
    let lifecycle: any InstanceLifecycleStore
    let lifecyclePolicy: InstanceLifecyclePolicy
    let runtime: any ScriptRuntime
    let effects: EffectExecutor
    let clock: any EngineClock
    let journalSigner: JournalSigner?
    let logger: Logger
    /// How long `GET …?atLeast=N` waits for position N before answering 409.
    let positionWait: Duration
    /// Keyed by instance id: ids are ASCII (`isInstanceID`, checked wherever one enters), so `String` equality
    /// is byte equality here.
    var hosted: [String: HostedInstance] = [:]
    /// Ids being created right now: a second create of one of them is a conflict, not a race on the store.
    var creating: Set<String> = []
    /// Instances this node created since it started, so two ids it derives in one second differ.
    var created: UInt64 = 0
    var subscriptions = NodeSubscriptions()
    /// The apply loops started by `startDriving`, by a serial (`driverCount`), until each ends.
    var drivers: [UInt64: Task<Void, Never>] = [:]
    var driverCount: UInt64 = 0
    /// Makes `submit` wait while `drivers` holds `admission.limit` loops.
    var admission = DriveAdmission(limit: 1024)
    /// One task per hosted instance following `order/<id>` in the log, so records another executor appended
    /// (a takeover, a network node) are applied as they arrive.
    var followers: [String: Task<Void, Never>] = [:]
    /// Network only: one task per hosted instance following `inbox/<id>`, so the elected executor orders an
    /// input as soon as any host accepted it, not at its next tick (a quarter of a second later).
    var inboxFollowers: [String: Task<Void, Never>] = [:]
    /// The instances whose apply loop runs (one loop per instance: two would apply one order record twice),
    /// and those asked to drive meanwhile, so the running loop goes round once more.
    var applying: Set<String> = []
    var redrive: Set<String> = []
    /// Network only: the leases this node holds as elected executor (renewed at a third of their term).
    var held: [String: HeldLease] = [:]
    /// Network only: `(instance, sequence, stateHash)` of steps applied since the last report to the anchor.
    var unreported: [AnchorMessages.StateHash] = []
    /// Network only: the next position of `instances` to read, and of each hosted instance's inbox.
    var creationCursor: UInt64 = 1
    /// Network only: the instances announced, which to place again, and the membership last placed against.
    var placementState = NodePlacementState()
    /// Network only: the URL of each healthy member as the membership poll last saw it, where a read of an
    /// instance this node does not host is redirected (`readElsewhere`).
    var memberURLs: [String: String] = [:]
    var inboxCursors: [String: UInt64] = [:]
    /// Network only: inputs of instances this node does not execute, left in their inboxes a tick later when
    /// still unordered (`DeferredPointers`).
    var deferredPointers = DeferredPointers()
    /// Network only: the exact log topics followed for the hosted instances, their readers, and the instances
    /// whose topics could not all be followed yet (`InstanceHost+Follow`).
    var followed = FollowedTopics()
    var topicReaders: [ExactText: TopicReader] = [:]
    var topicsPending: Set<String> = []
    /// Network only: the log's topic index as read so far, for the instances that follow prefix patterns.
    var discovered = DiscoveredTopics()
    /// The last position of each hosted instance's `order/<id>` this node appended or was delivered. Every such
    /// record is followed by a drive, so the apply loop stops at it without asking the log for the next one; an
    /// instance with no entry here (just reopened) reads the log.
    var orderHeads: [String: UInt64] = [:]
    /// Entries appended or delivered lately, so the apply loop and the executor read them without a request.
    var recent = RecentEntries(capacity: 4096)
    /// Steps applied to instances some hosted script follows, until the executor publishes them (or, on any
    /// other host, drops them) after the apply loop (`InstanceHost+Changes`).
    var unpublished: [String: [PendingChange]] = [:]
    /// The last change published on each followed instance's `changes/<id>`, as read under the current lease.
    var changeMarks: [String: ChangeMark] = [:]
    /// How many instances rest in the store (read at `recover`): while none does, no input looks for one there.
    var restingCount = 0
    /// How many instances were retired (read at `recover`).
    var retiredCount = 0
    /// Instances being put to rest or retired, and being reinstated: requests for them wait (`awake`).
    var transitions: [String: Task<Void, Never>] = [:]
    var waking: [String: Task<Result<Bool, HostError>, Never>] = [:]
    /// Open event streams per instance: a followed instance is never put to rest.
    var watchers: [String: Int] = [:]
    /// Inputs being ordered per instance: not put to rest before their order records are kept.
    var ordering: [String: Int] = [:]
    /// Network only: the instances at rest here (their followed topics stay in `followed`), and when each
    /// instance's elected executor was last asked to wake it.
    var resting: Set<String> = []
    var nudged: [String: UInt64] = [:]
    /// Network only: when each expired instance's retirement was last asked about (`retirementAgreed`).
    var retirementAsked: [String: UInt64] = [:]
    /// Interface answers by (instance, position, interface, argument bytes): a repeated read skips the sandbox.
    var interfaceAnswers = InterfaceAnswerCache(capacity: 4096)
    /// Attestation signatures this node checked (accepting an input, reading a followed topic), shared with the
    /// engine of every hosted instance, so applying the input does not check its signature again.
    nonisolated let verifiedSignatures = VerifiedSignatures()
    /// Read grants whose signature was checked, by their exact bytes, instance and grantee: a repeated read
    /// skips the signature check (every other check runs on every read).
    var verifiedGrants = VerifiedGrantCache(capacity: 4096, maximumBytes: 4 << 20)

    /// - Parameters:
    ///   - signerSeed: the node's Ed25519 seed; it signs order records, outcomes and every journal line.
    ///   - effectTransport: where effect calls go (`HTTPEffectTransport` under the node's egress policy).
    public init(
        scripts: [HostedScript], store: any NodeStore, log: any AttestationLog, election: any ExecutorElection,
        nodeName: String, signerSeed: [UInt8], runtime: any ScriptRuntime, effectTransport: any EffectTransport,
        clock: any EngineClock, logger: Logger, positionWait: Duration = .seconds(2),
        lifecyclePolicy: InstanceLifecyclePolicy = InstanceLifecyclePolicy()
    ) throws {
        let signer = try Ed25519AttestationSigner(seed: signerSeed)
        // Single node: this node is also the anchoring node of its effects, with its own key.
        let anchor = LocalAnchoringNode(name: nodeName, signer: signer, transport: effectTransport)
        try self.init(
            scripts: scripts, store: store, log: log, seat: .selfElected(election),
            effects: EffectExecutor(transport: effectTransport, leases: election, anchor: anchor), nodeName: nodeName,
            signerSeed: signerSeed, runtime: runtime, clock: clock, logger: logger, positionWait: positionWait,
            lifecyclePolicy: lifecyclePolicy)
    }

    /// A node of an anchor's network: the log is the anchor's, the anchor elects executors (this node never
    /// elects itself) and routes failed effect calls; journals and heads stay in `store`.
    public init(
        scripts: [HostedScript], store: any NodeStore, network: AnchorMembership, nodeName: String,
        signerSeed: [UInt8], runtime: any ScriptRuntime, effectTransport: any EffectTransport, clock: any EngineClock,
        logger: Logger, positionWait: Duration = .seconds(2),
        lifecyclePolicy: InstanceLifecyclePolicy = InstanceLifecyclePolicy()
    ) throws {
        let effects = EffectExecutor(transport: effectTransport, leases: network.election, anchor: network.anchoring)
        try self.init(
            scripts: scripts, store: store, log: network.log, seat: .anchored(network), effects: effects,
            nodeName: nodeName, signerSeed: signerSeed, runtime: runtime, clock: clock, logger: logger,
            positionWait: positionWait, lifecyclePolicy: lifecyclePolicy)
    }

    private init(
        scripts: [HostedScript], store: any NodeStore, log: any AttestationLog, seat: ExecutorSeat,
        effects: EffectExecutor, nodeName: String, signerSeed: [UInt8], runtime: any ScriptRuntime,
        clock: any EngineClock, logger: Logger, positionWait: Duration, lifecyclePolicy: InstanceLifecyclePolicy
    ) throws {
        self.scripts = scripts
        self.lifecycle = store.lifecycle
        self.lifecyclePolicy = lifecyclePolicy
        self.store = store
        self.log = log
        self.seat = seat
        self.instanceStore = store.instances
        self.nodeName = nodeName
        self.signer = try Ed25519AttestationSigner(seed: signerSeed)
        self.journalSigner = try JournalSigner(seed: signerSeed)
        self.runtime = runtime
        self.effects = effects
        self.clock = clock
        self.logger = logger
        self.positionWait = positionWait
    }

    /// The scripts this node hosts.
    public var hostedScripts: [HostedScript] { scripts }

    func script(named name: String) -> HostedScript? { scripts.first { $0.name == name } }

    /// Reopens every instance of the store but those at rest (`InstanceHost+Lifecycle`), after a restart or a
    /// `kill -9`: its journal, its head, its subscription and the inputs ordered already; then applies what was
    /// ordered but not yet applied and executes the effects still pending (the same requests and idempotency
    /// keys as before), in the background, so the node serves while a slow API answers.
    public func recover() async throws {
        restingCount = try await lifecycle.dormantCount()
        retiredCount = try await lifecycle.retiredCount()
        for summary in try await lifecycle.activeSummaries() {
            do {
                try await reopen(summary.id, definitionID: summary.definitionID)
            } catch {
                logger.error("cannot reopen instance", metadata: ["instance": "\(summary.id)", "error": "\(error)"])
            }
        }
        for id in hosted.keys.sorted() {
            follow(id)
            await followTopics(of: id)
            startDriving(id)
            await publishOnStart(id)
        }
        try await followResting()
    }

    func reopen(_ id: String, definitionID: String) async throws {
        guard let script = scripts.first(where: { $0.definition.id == definitionID }) else {
            throw HostError.internalError("no loaded script has definition \(definitionID)")
        }
        guard let stored = try await instanceStore.instance(id) else {
            throw HostError.internalError("instance \(id) vanished from the store")
        }
        guard let creation = try await log.entry(topic: InstanceCreation.topic(of: id), position: 1),
            let record = InstanceCreation(creation.attestation)
        else { throw HostError.internalError("instance \(id) has no creation record in the log") }
        let journal = try await store.openJournal(id)
        let instance = try await JournaledInstance(
            machine: machine(script), store: journal, signer: journalSigner, initial: stored)
        var entry = await hosted(
            id: id, script: script, holder: record.holder, journal: journal, instance: instance,
            storedStep: stored.step)
        entry.ordered = try await orderedInputs(of: id)
        hosted[id] = entry
        try await syncStoredHead(id)
        subscriptions.update(InstanceSubscription(definition: script.definition, instance: await instance.instance))
    }

    func machine(_ script: HostedScript) -> TokenStateMachine {
        TokenStateMachine(definition: script.definition, runtime: runtime, signatures: verifiedSignatures)
    }

    func hosted(
        id: String, script: HostedScript, holder: String, journal: any JournalStore, instance: JournaledInstance,
        storedStep: UInt64
    ) async -> HostedInstance {
        let placeholder = ExecutorLease(instance: id, epoch: 0)
        let coordinator = await EffectCoordinator(
            instance: instance, identity: signer, lease: placeholder, executor: effects,
            environment: script.environment, runtime: runtime)
        let (value, position) = await Self.snapshot(of: instance)
        return HostedInstance(
            id: id, script: script, holder: holder, holderIdentity: GrantHolder(holder), journal: journal,
            instance: instance, coordinator: coordinator,
            coordinatorLease: placeholder, storedStep: storedStep,
            current: InstanceSnapshot(instance: value, position: position), activeAt: now)
    }

    /// Every input already in `order/<id>`, read page by page.
    func orderedInputs(of id: String) async throws -> OrderedInputs {
        var keys = OrderedInputs()
        var position: UInt64 = 1
        while true {
            let page = try await log.entries(topic: OrderRecord.topic(of: id), from: position, limit: 500)
            for entry in page {
                if let record = OrderRecord(entry.attestation) {
                    keys.insert(HostedInstance.orderKey(topic: record.topic, position: record.position))
                }
            }
            guard let last = page.last else { return keys }
            position = last.position + 1
        }
    }

    /// Brings the instance store's head up to the journaled instance: after a crash between the two writes of a
    /// store from before journals kept the head (`SQLiteJournalStore.keepsInstanceHead`), at reopening.
    func syncStoredHead(_ id: String) async throws {
        guard let entry = hosted[id] else { return }
        let current = await entry.instance.instance
        guard current.step > entry.storedStep else { return }
        try await instanceStore.replace(current, expectingStep: entry.storedStep, fencedBy: nil)
        hosted[id]?.storedStep = current.step
    }

    /// Stops the apply loops and the log followers (a graceful shutdown).
    public func stop() {
        for driver in drivers.values { driver.cancel() }
        for follower in followers.values { follower.cancel() }
        for follower in inboxFollowers.values { follower.cancel() }
        for reader in topicReaders.values { reader.task.cancel() }
        admission.admitAll()
        topicReaders = [:]
        drivers = [:]
        followers = [:]
        inboxFollowers = [:]
    }

    /// Follows `order/<id>` from the next unapplied position: each record arriving drives the apply loop.
    func follow(_ id: String) {
        followInbox(id)
        guard followers[id] == nil else { return }
        let log = self.log
        let logger = self.logger
        followers[id] = Task {
            guard let next = await self.nextPosition(of: id) else { return }
            do {
                for try await record in try await log.subscribe(topic: OrderRecord.topic(of: id), from: next) {
                    await self.rememberOrderRecord(record, of: id)
                    await self.drive(id)
                }
            } catch  where !Task.isCancelled {
                // In a network the periodic tick reads the positions anyway; the stream only wakes it sooner.
                logger.warning("order log subscription ended", metadata: ["instance": "\(id)", "error": "\(error)"])
            } catch {}
        }
    }

    private func nextPosition(of id: String) async -> UInt64? { await hosted[id]?.instance.head.nextSequence }

    func remember(_ entry: LogEntry) { recent.remember(entry) }

    /// Keeps an order record of `id` this node appended or its order stream delivered, and how far `order/<id>`
    /// is known to go, so the apply loop does not read the log for a record nobody appended yet.
    func rememberOrderRecord(_ record: LogEntry, of id: String) {
        recent.remember(record)
        if record.position > orderHeads[id] ?? 0 { orderHeads[id] = record.position }
    }

    /// The entry at `position` of `topic`: kept from a stream or an append when it is, else read from the log.
    func logEntry(topic: String, position: UInt64) async throws -> LogEntry? {
        if let kept = recent.entry(topic: topic, position: position) { return kept }
        return try await log.entry(topic: topic, position: position)
    }
}

extension InstanceHost {
    /// Network only: follows `inbox/<id>` from this node's inbox cursor; each pointer arriving makes the node
    /// order the inbox (which orders only when the anchor elected this node) and drive the instance. The tick
    /// still reads every inbox position; the stream only makes ordering prompt.
    func followInbox(_ id: String) {
        guard case .anchored = seat, inboxFollowers[id] == nil else { return }
        let log = self.log
        let logger = self.logger
        inboxFollowers[id] = Task {
            let from = await self.inboxCursors[id] ?? 1
            do {
                for try await pointer in try await log.subscribe(topic: InboxRecord.topic(of: id), from: from) {
                    await self.remember(pointer)
                    await self.orderInbox(id)
                    await self.drive(id)
                }
            } catch  where !Task.isCancelled {
                logger.warning("inbox subscription ended", metadata: ["instance": "\(id)", "error": "\(error)"])
            } catch {}
        }
    }
}
