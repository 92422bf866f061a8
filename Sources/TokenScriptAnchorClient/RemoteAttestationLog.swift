import AsyncHTTPClient
import Foundation
import NIOCore
import TokenScriptAttestation
import TokenScriptCluster

/// The anchor's attestation log, reached over HTTP: the same `AttestationLog` a single node has in SQLite,
/// checked by the same conformance suite, so node code takes `any AttestationLog` and never knows which.
///
/// Appends, reads and the head are one signed request each; a subscription is one server-sent-event stream
/// (`GET /v1/log/{topic}/stream?from=N`) that ends with an error when the connection does — the consumer
/// resubscribes from the position after the last entry it applied, so nothing is lost.
public struct RemoteAttestationLog: AttestationLog {
    public let connection: AnchorConnection

    public init(connection: AnchorConnection) {
        self.connection = connection
    }

    public func append(_ attestation: Attestation, fencedBy lease: ExecutorLease?) async throws -> LogAppend {
        let body = AnchorMessages.Append(attestation: WireAttestation(attestation), fence: lease)
        return try await connection.send(.POST, "/v1/log", body: body, as: AnchorMessages.AppendAnswer.self).logAppend
    }

    public func head(of topic: String) async throws -> UInt64 {
        let target = "/v1/log/\(AnchorConnection.segment(topic))/head"
        return try await connection.send(.GET, target, as: AnchorMessages.Head.self).head
    }

    public func entry(topic: String, position: UInt64) async throws -> LogEntry? {
        guard position >= 1 else { return nil }
        return try await entries(topic: topic, from: position, limit: 1).first
    }

    public func entries(topic: String, from position: UInt64, limit: Int) async throws -> [LogEntry] {
        let target = "/v1/log/\(AnchorConnection.segment(topic))?from=\(position)&limit=\(limit)"
        return try await connection.send(.GET, target, as: AnchorMessages.Entries.self).entries.map(\.entry)
    }

    public func topics(from position: UInt64, limit: Int) async throws -> [LogTopic] {
        guard position >= 1, limit >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: limit) }
        return try await connection.send(
            .GET, "/v1/topics?from=\(position)&limit=\(limit)", as: AnchorMessages.Topics.self
        )
        .topics
    }

    /// Returns at once; the stream connects in the background, so a refusal (401, a bad position) or a lost
    /// connection ends the stream with its error.
    public func subscribe(topic: String, from position: UInt64) async throws -> AsyncThrowingStream<LogEntry, any Error>
    {
        guard position >= 1 else { throw AttestationLogError.invalidRange(from: position, limit: 1) }
        let target = "/v1/log/\(AnchorConnection.segment(topic))/stream?from=\(position)"
        let anchor = connection.preferredIndex
        let request = try connection.signedRequest(.GET, target, body: String?.none, anchor: anchor)
        let connection = connection
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: LogEntry.self, throwing: (any Error).self)
        let reader = Task {
            do {
                let response: HTTPClientResponse
                do {
                    response = try await AnchorConnection.streamingClient.execute(request, deadline: .distantFuture)
                } catch {
                    // The next subscription (the consumer resubscribes from its last position) tries another anchor.
                    connection.unreachable(anchor)
                    throw error
                }
                guard response.status.code == 200 else {
                    let bytes = try await response.body.collect(upTo: 1 << 20)
                    throw AnchorConnection.failure(response.status.code, Data(bytes.readableBytesView))
                }
                var events = ServerSentEvents()
                for try await buffer in response.body {
                    for data in events.feed(Array(buffer.readableBytesView)) {
                        let entry = try JSONDecoder().decode(AnchorMessages.Entry.self, from: Data(data))
                        continuation.yield(entry.entry)
                    }
                }
                throw AnchorClientError(status: 200, code: "stream-ended", message: "the anchor closed \(target)")
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }
}

/// Splits a server-sent-event byte stream into the `data:` payloads of its events.
struct ServerSentEvents {
    private var pending: [UInt8] = []
    private var data: [UInt8]?

    /// The complete events' data in `bytes` (and in what earlier calls left over).
    mutating func feed(_ bytes: [UInt8]) -> [[UInt8]] {
        pending.append(contentsOf: bytes)
        var events: [[UInt8]] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if line.isEmpty {
                if let complete = data { events.append(complete) }
                data = nil
            } else if line.starts(with: Array("data:".utf8)) {
                var value = line.dropFirst(5)
                if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
                data = (data.map { $0 + [UInt8(ascii: "\n")] } ?? []) + value
            }
        }
        return events
    }
}
