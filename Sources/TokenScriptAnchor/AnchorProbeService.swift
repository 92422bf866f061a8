import AsyncHTTPClient
import Logging
import NIOCore
import ServiceLifecycle
import TokenScriptAnchorClient
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
            while !Task.isCancelled {
                let probes = await probe(anchor.members().filter(\.healthy))
                await anchor.sweep(probes: probes)
                if let failure = anchor.serviceLevels.lastFailure.withLock({ $0 }) {
                    logger.warning("service levels", metadata: ["failure": "\(failure)"])
                }
                try await Task.sleep(for: interval)
            }
        }
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
        do {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: member.url + "/health"), timeout: deadline)
            // Read and dropped, so the connection goes back to the pool.
            _ = try await response.body.collect(upTo: 4_096)
            status = response.status.code
        } catch {
            if Task.isCancelled { return nil }
        }
        let elapsed = ContinuousClock.now - started
        let milliseconds =
            UInt64(max(0, elapsed.components.seconds)) * 1_000
            + UInt64(max(0, elapsed.components.attoseconds / 1_000_000_000_000_000))
        let time = anchor.clock.unixSeconds()
        guard let status else {
            return NodeSample(node: member.name, time: time, observation: .availability(up: false))
        }
        return NodeSample(
            node: member.name, time: time, observation: .call(latencyMilliseconds: milliseconds, failed: status != 200))
    }
}
