import AsyncHTTPClient
import Logging
import NIOCore
import ServiceLifecycle
import TokenScriptAnchorClient
import TokenScriptArithmetic
import TokenScriptCluster

/// The anchor's own look at its members, every `interval`: it asks each healthy node's `/health` (an
/// anchor does not take a node's heartbeats as the whole truth: a node can beat while it serves slowly), then
/// sweeps (`Anchor.sweep`): missed heartbeats counted, standings evaluated, weights set.
///
/// A probe answered 200 is a call of its latency (bad when slower than the node's objective allows), another
/// status a failed call, no answer within `deadline` the node down.
struct AnchorProbeService: Service {
    let anchor: Anchor
    var interval: Duration = .seconds(1)
    var deadline: TimeAmount = .seconds(2)
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var levels: [String: BurnRateRule.Level] = [:]
            while !Task.isCancelled {
                // A round starts every `interval`, or at once when the last one took longer (`deadline` per probe).
                let started = ContinuousClock.now
                let probes = await probe(anchor.members().filter(\.healthy))
                await anchor.sweep(probes: probes)
                levels = logChanges(from: levels)
                if let failure = anchor.serviceLevels.lastFailure.withLock({ $0 }) {
                    logger.warning("service levels", metadata: ["failure": "\(failure)"])
                }
                try await Task.sleep(until: started + interval)
            }
        }
    }

    /// Logs each member whose level changed since the last sweep (a page is an error, a ticket a warning, the
    /// return to the objective a notice); answers the levels now.
    private func logChanges(from previous: [String: BurnRateRule.Level]) -> [String: BurnRateRule.Level] {
        var now: [String: BurnRateRule.Level] = [:]
        for member in anchor.members() {
            let standing = anchor.serviceLevels.standing(of: member.name)
            now[member.name] = standing?.level
            guard standing?.level != previous[member.name], let standing else { continue }
            var metadata: Logger.Metadata = [
                "node": "\(member.name)", "weight": "\(member.weight ?? member.capacity)",
                "budgetSpent": "\(standing.budgetSpent)",
            ]
            for rule in standing.rules {
                metadata["\(rule.rule.level.rawValue)Burn"] = .string(
                    "\(rule.long.burnRate) over \(rule.long.seconds) s, "
                        + "\(rule.short.burnRate) over \(rule.short.seconds) s")
            }
            switch standing.level {
            case .page: logger.error("node burning its error budget: relieved of its instances", metadata: metadata)
            case .ticket: logger.warning("node burning its error budget: placement weight lowered", metadata: metadata)
            case nil: logger.notice("node back within its objective", metadata: metadata)
            }
        }
        return now
    }

    private func probe(_ members: [AnchorMessages.Member]) async -> [NodeSample] {
        await withTaskGroup(of: NodeSample?.self) { group in
            for member in members {
                group.addTask { await probe(member) }
            }
            var samples: [NodeSample] = []
            for await sample in group { if let sample { samples.append(sample) } }
            return samples
        }
    }

    private func probe(_ member: AnchorMessages.Member) async -> NodeSample? {
        let started = ContinuousClock.now
        var status: UInt?
        var request = HTTPClientRequest(url: member.url + "/health")
        // A fresh connection per probe, closed by the node after its answer: a kept-alive idle connection from
        // the anchor would hold up the node's graceful shutdown until the client's idle timeout (a minute).
        request.headers.add(name: "Connection", value: "close")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: deadline)
            // Read and dropped, so the connection goes back to the pool.
            _ = try await response.body.collect(upTo: 4_096)
            status = response.status.code
        } catch {
            if Task.isCancelled { return nil }
        }
        let milliseconds = (ContinuousClock.now - started).wholeMilliseconds
        let time = anchor.clock.unixSeconds()
        guard let status else {
            return NodeSample(node: member.name, time: time, observation: .availability(up: false))
        }
        return NodeSample(
            node: member.name, time: time, observation: .call(latencyMilliseconds: milliseconds, failed: status != 200))
    }
}
