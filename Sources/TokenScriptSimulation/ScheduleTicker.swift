import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptModel

/// A point the hosting node's clock moves to in a dry run (`--advance`): a Unix time, or a duration after
/// the previous point.
public enum ClockAdvance: Sendable, Hashable {
    case to(UInt64)
    case by(ISODuration)
}

/// The hosting node's clock in a simulated run: as time passes it signs a `schedule/<trigger>` tick with its
/// own key at each due time (`ScheduleDueTime`), as a real node would, so schedules fire without hand-signed
/// clock attestations. It follows every delivery to know when the instance entered its state.
public struct ScheduleTicker: Sendable {
    /// The most ticks one run may sign: an `every=PT1S` schedule over a long advance would not end.
    public static let maximumTicks = 10_000

    public private(set) var now: UInt64
    private var state: String
    private var stateEntry: UInt64
    /// When each schedule trigger last fired in the current state.
    private var lastFired: [String: UInt64] = [:]
    private var ticks = 0
    private let node: Ed25519AttestationSigner
    private let maximumTicks: Int

    /// The clock at `now`, with the instance in `state` since then; ticks signed by `node`, at most
    /// `maximumTicks` of them.
    public init(now: UInt64, state: String, node: Ed25519AttestationSigner, maximumTicks: Int = maximumTicks) {
        self.now = now
        self.state = state
        self.stateEntry = now
        self.node = node
        self.maximumTicks = maximumTicks
    }

    /// Follows deliveries made outside the ticker (input attestations): the clock and the state entry time.
    public mutating func observe(_ deliveries: [SimulatedDelivery]) {
        for delivery in deliveries {
            now = max(now, delivery.receivedAt)
            if delivery.toState != state {
                state = delivery.toState
                stateEntry = delivery.receivedAt
                lastFired = [:]
            }
        }
    }

    /// Moves the clock to `target`, delivering every schedule tick due on the way at its due time (a tick
    /// overdue at the start is delivered at once). Throws when `target` is before the clock.
    public mutating func advance(_ simulation: inout Simulation, to target: UInt64) async throws -> [SimulatedDelivery]
    {
        guard target >= now else {
            throw Simulation.Failure(description: "--advance: \(target) is before the clock (\(now))")
        }
        guard target <= UInt64(AttestationValue.maximumInteger) else {
            throw Simulation.Failure(
                description:
                    "--advance: \(target) is beyond the latest time an attestation carries "
                    + "(\(AttestationValue.maximumInteger))")
        }
        var deliveries: [SimulatedDelivery] = []
        while let (trigger, due) = await nextTick(simulation, until: target), max(due, now) <= target {
            ticks += 1
            guard ticks <= maximumTicks else {
                throw Simulation.Failure(
                    description: "--advance: more than \(maximumTicks) schedule ticks (trigger \(trigger))")
            }
            let time = max(due, now)
            let unsigned = Attestation(
                id: "schedule/\(trigger)/\(time)/\(ticks)", topic: "schedule/" + trigger, type: "schedule",
                issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)), issuedAt: time, payload: .object([:]))
            lastFired[trigger] = time
            now = time
            let delivered = try await simulation.deliver(try node.sign(unsigned), now: time)
            observe(delivered)
            deliveries += delivered
        }
        // Effect outcomes may have dated the clock past the target; it never runs backwards.
        now = max(now, target)
        return deliveries
    }

    /// The time `advance` ends at from the clock as it is now (effect outcomes may have moved it since the
    /// previous advance, so a relative step counts from there).
    public func target(of advance: ClockAdvance) -> UInt64 {
        switch advance {
        case .to(let absolute): absolute
        case .by(let duration): now.saturatingAdding(UInt64(duration.milliseconds / 1000))
        }
    }

    /// The earliest schedule trigger due by `target` in the instance's state (document order breaks ties).
    private func nextTick(_ simulation: Simulation, until target: UInt64) async -> (String, UInt64)? {
        let instance = await simulation.current
        let server = simulation.definition.server
        guard let state = server.state(named: instance.state) else { return nil }
        var best: (String, UInt64)?
        for trigger in server.triggers where trigger.fires(in: state) {
            guard case .schedule(let schedule) = trigger.event,
                let due = ScheduleDueTime.next(
                    schedule, stateEntry: stateEntry, lastFired: lastFired[trigger.name],
                    attributes: instance.attributes),
                due <= target, due < (best?.1 ?? UInt64.max)
            else { continue }
            best = (trigger.name, due)
        }
        return best
    }
}
