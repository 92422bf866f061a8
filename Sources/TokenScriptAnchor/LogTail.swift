import Foundation
import NIOCore
import TokenScriptAnchorClient
import TokenScriptCluster

/// A topic of the log as server-sent events (`event: entry`, `id: <position>`, `data: <entry JSON>`), read a
/// page at a time as the client takes them: a slow or stalled reader holds back the reading, never a growing
/// buffer of the whole topic. New entries are noticed by polling the log every `poll`; a quiet topic sends a
/// comment every `keepalive`, so a client that went away is noticed at the next write and the tail ends.
struct LogTail: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let log: any AttestationLog
    let topic: String
    let from: UInt64
    var pageSize = 100
    var poll = Duration.milliseconds(50)
    var keepalive = Duration.seconds(15)

    func makeAsyncIterator() -> Iterator {
        Iterator(tail: self, next: Swift.max(from, 1))
    }

    struct Iterator: AsyncIteratorProtocol {
        let tail: LogTail
        var next: UInt64
        var page: [LogEntry] = []
        let encoder: JSONEncoder = {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return encoder
        }()

        mutating func next() async throws -> ByteBuffer? {
            var quiet = Duration.zero
            while page.isEmpty {
                if Task.isCancelled { return nil }
                page = try await tail.log.entries(topic: tail.topic, from: next, limit: tail.pageSize)
                guard page.isEmpty else { break }
                if quiet >= tail.keepalive { return ByteBuffer(string: ": keepalive\n\n") }
                do { try await Task.sleep(for: tail.poll) } catch { return nil }
                quiet += tail.poll
            }
            let entry = page.removeFirst()
            next = entry.position + 1
            let json = String(decoding: try encoder.encode(AnchorMessages.Entry(entry)), as: UTF8.self)
            return ByteBuffer(string: "event: entry\nid: \(entry.position)\ndata: \(json)\n\n")
        }
    }
}
