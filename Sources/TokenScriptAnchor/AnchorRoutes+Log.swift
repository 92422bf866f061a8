import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import TokenScriptAnchorClient
import TokenScriptCluster
import TokenScriptEffects
import TokenScriptHTTPServer

extension AnchorRoutes {
    /// The most entries one read returns.
    static let pageLimit = 1_000

    /// Only the executor appends under its lease: a fence naming the current epoch must come from its holder
    /// (403 otherwise). The holder of an epoch never changes (every new holder gets a new epoch), so checking
    /// before the append is safe: a takeover in between makes the append itself refuse the stale fence.
    func requireHolder(_ fence: ExecutorLease, _ node: String) async throws {
        guard let record = try await anchor.election.record(of: fence.instance), record.lease == fence,
            let holder = record.holder, holder != node
        else { return }
        throw AnchorRefusals.forbidden(
            code: "not-the-holder", "lease \(fence) is held by \(holder), not \(node)", field: "fence")
    }

    /// `order/<instance>` decides the order in which every host applies the instance's inputs, and
    /// `changes/<instance>` is what its followers learn of it, so only its executor appends there: under a fence,
    /// and a fence for that very instance (compared as bytes). Without this, any node holding some lease could
    /// reorder or stall another instance, or put words in its mouth.
    static func requireExecutorFence(_ topic: String, _ fence: ExecutorLease?) throws {
        let bytes = Array(topic.utf8)
        guard let prefix = executorPrefixes.first(where: { bytes.starts(with: $0) }) else { return }
        guard let fence else {
            throw AnchorRefusals.forbidden(
                code: "unfenced-order", "\(topic) takes only appends fenced by the instance's lease", field: "fence")
        }
        guard Array(fence.instance.utf8) == Array(bytes.dropFirst(prefix.count)) else {
            throw AnchorRefusals.forbidden(
                code: "fence-for-another-instance", "a lease of \(fence.instance) cannot append to \(topic)",
                field: "fence")
        }
    }

    /// The topics of one instance that only its executor writes (`retired/<id>`: an expired instance's
    /// retirement, the node's `RetirementRecord`).
    static let executorPrefixes = ["order/", ChangeAttestations.topicPrefix, "retired/"].map { Array($0.utf8) }

    /// Appends (fenced or not), reads, the head and the server-sent-event stream of a topic; the topic index.
    func addLog(to router: Router<BasicRequestContext>) {
        router.post("/v1/log") { request, _ in
            let signed = try await signed(request)
            let append = try decode(AnchorMessages.Append.self, signed.body)
            try Self.requireExecutorFence(append.attestation.attestation.topic, append.fence)
            if let fence = append.fence { try await requireHolder(fence, signed.node) }
            try AnchorTopicAuthors.check(
                append.attestation.attestation, by: signed.node, key: anchor.membership.key(of: signed.node))
            let result = try await anchor.log.append(append.attestation.attestation, fencedBy: append.fence)
            let status: HTTPResponse.Status = if case .appended = result { .created } else { .ok }
            return HTTPJSON.json(AnchorMessages.AppendAnswer(result), status: status)
        }
        router.get("/v1/log/:topic") { request, context in
            _ = try await signed(request)
            let topic = try parameter("topic", context)
            let from: UInt64 = try query("from", request, default: 1)
            let limit: Int = try query("limit", request, default: 100)
            let entries = try await anchor.log.entries(topic: topic, from: from, limit: min(limit, Self.pageLimit))
            return HTTPJSON.json(AnchorMessages.Entries(topic: topic, entries: entries))
        }
        router.get("/v1/topics") { request, _ in
            _ = try await signed(request)
            let from: UInt64 = try query("from", request, default: 1)
            let limit: Int = try query("limit", request, default: 100)
            let topics = try await anchor.log.topics(from: from, limit: min(limit, Self.pageLimit))
            return HTTPJSON.json(AnchorMessages.Topics(topics: topics))
        }
        router.get("/v1/log/:topic/head") { request, context in
            _ = try await signed(request)
            let topic = try parameter("topic", context)
            return HTTPJSON.json(AnchorMessages.Head(topic: topic, head: try await anchor.log.head(of: topic)))
        }
        router.get("/v1/log/:topic/stream") { request, context in
            _ = try await signed(request)
            let topic = try parameter("topic", context)
            let from: UInt64 = try query("from", request, default: 1)
            // The stream ends with the server (a graceful shutdown); a node then resubscribes from the position
            // after the last entry it applied.
            let tail = LogTail(
                log: anchor.log, topic: topic, from: from, fallbackPoll: anchor.streamFallbackPoll,
                keepalive: Self.keepalive)
            let body = ResponseBody(asyncSequence: tail.cancelOnGracefulShutdown())
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }

    /// Seconds between keep-alive comments on a quiet stream.
    static let keepalive = Duration.seconds(15)
}
