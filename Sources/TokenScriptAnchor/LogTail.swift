import Foundation
import NIOCore
import TokenScriptAnchorClient
import TokenScriptCluster

/// A topic of the log as server-sent events (`event: entry`, `id: <position>`, `data: <entry JSON>`), read a
/// page at a time as the client takes them: a slow or stalled reader holds back the reading, never a growing
/// buffer of the whole topic.
///
/// Every append to the anchor's log goes through this process's store handle, which wakes the topic's
/// listeners once the append committed, handing them the appended entries, so a new entry is sent as soon as it
/// is there, without reading the file when the tail was up to date. The listener is
/// registered when the tail starts, before its first read: an append that commits between a read and the wait
/// still wakes it. `fallbackPoll` reads again without a wake-up, so a missed one only delays; a quiet topic
/// sends a comment every `keepalive`, so a client that went away is noticed at the next write and the tail ends.
struct LogTail: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let log: any AnchorLogStore
    let topic: String
    let from: UInt64
    var pageSize = 100
    var fallbackPoll = Duration.seconds(1)
    var keepalive = Duration.seconds(15)

    func makeAsyncIterator() -> Iterator {
        Iterator(tail: self, next: Swift.max(from, 1), listener: log.listen(to: topic))
    }

    struct Iterator: AsyncIteratorProtocol {
        let tail: LogTail
        var next: UInt64
        /// Held for the iterator's life: released with it (the client went away), it unregisters.
        let listener: LogListener
        var page: [LogEntry] = []
        /// Whether the next page comes from the file (at the start, and after a wake-up without all the entries).
        var readFile = true
        let encoder: JSONEncoder = {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return encoder
        }()

        mutating func next() async throws -> ByteBuffer? {
            let clock = ContinuousClock()
            let quietSince = clock.now
            while page.isEmpty {
                if Task.isCancelled { return nil }
                if readFile {
                    page = try await tail.log.entries(topic: tail.topic, from: next, limit: tail.pageSize)
                    guard page.isEmpty else { break }
                }
                let quiet = clock.now - quietSince
                if quiet >= tail.keepalive { return ByteBuffer(string: ": keepalive\n\n") }
                await listener.wait(timeout: Swift.min(tail.fallbackPoll, tail.keepalive - quiet))
                // The appends that woke it, when they are all of them: sent without reading the file.
                let handed = listener.handedEntries(continuing: next)
                page = handed ?? []
                readFile = handed == nil
            }
            let entry = page.removeFirst()
            next = entry.position + 1
            let json = String(decoding: try encoder.encode(AnchorMessages.Entry(entry)), as: UTF8.self)
            return ByteBuffer(string: "event: entry\nid: \(entry.position)\ndata: \(json)\n\n")
        }
    }
}
