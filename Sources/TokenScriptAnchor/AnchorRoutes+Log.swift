import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle
import TokenScriptAnchorClient
import TokenScriptHTTPServer

extension AnchorRoutes {
    /// The most entries one read returns.
    static let pageLimit = 1_000

    /// Appends (fenced or not), reads, the head and the server-sent-event stream of a topic.
    func addLog(to router: Router<BasicRequestContext>) {
        router.post("/v1/log") { request, _ in
            let signed = try await signed(request)
            let append = try decode(AnchorMessages.Append.self, signed.body)
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
        router.get("/v1/log/:topic/head") { request, context in
            _ = try await signed(request)
            let topic = try parameter("topic", context)
            return HTTPJSON.json(AnchorMessages.Head(topic: topic, head: try await anchor.log.head(of: topic)))
        }
        router.get("/v1/log/:topic/stream") { request, context in
            _ = try await signed(request)
            let topic = try parameter("topic", context)
            let from: UInt64 = try query("from", request, default: 1)
            let stream = try await anchor.log.subscribe(topic: topic, from: from)
            // Each entry as one event; the stream ends with the server (a graceful shutdown), and a node then
            // resubscribes from the position after the last entry it applied.
            let events = stream.map { entry -> ByteBuffer in
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let data = try encoder.encode(AnchorMessages.Entry(entry))
                let json = String(decoding: data, as: UTF8.self)
                return ByteBuffer(string: "event: entry\nid: \(entry.position)\ndata: \(json)\n\n")
            }
            let body = ResponseBody(asyncSequence: events.cancelOnGracefulShutdown())
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }
}
