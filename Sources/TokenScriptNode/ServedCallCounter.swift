import Foundation
import Hummingbird
import TokenScriptAnchorClient
import TokenScriptArithmetic

/// The calls a network node answered on its API (`/v1/…`), counted by latency bound (`ServedCalls.bounds`) and
/// server errors, until `AnchorService` reports them to the anchor (`POST /v1/served-calls`) once a second. The
/// anchor records them next to its own probes of the node.
public final class ServedCallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var answered: [UInt64: UInt64] = [:]
    private var failed: UInt64 = 0

    public init() {}

    /// Counts one call that took `milliseconds`; `failed` when it was answered with a server error.
    public func record(milliseconds: UInt64, failed isFailure: Bool) {
        lock.withLock {
            if isFailure {
                failed &+= 1
            } else {
                answered[AnchorMessages.ServedCalls.bound(of: milliseconds), default: 0] &+= 1
            }
        }
    }

    /// What was counted since the last drain (at most `ServedCalls.maximumCalls` calls; the rest stays for the
    /// next report), or nil when nothing was.
    public func drain() -> AnchorMessages.ServedCalls? {
        lock.withLock {
            var room = AnchorMessages.ServedCalls.maximumCalls
            let failures = min(failed, room)
            failed -= failures
            room -= failures
            var entries: [AnchorMessages.LatencyCount] = []
            for bound in AnchorMessages.ServedCalls.bounds {
                guard let count = answered[bound], count > 0, room > 0 else { continue }
                let taken = min(count, room)
                room -= taken
                answered[bound] = count - taken == 0 ? nil : count - taken
                entries.append(AnchorMessages.LatencyCount(latencyMilliseconds: bound, count: taken))
            }
            guard failures > 0 || !entries.isEmpty else { return nil }
            return AnchorMessages.ServedCalls(answered: entries, failed: failures)
        }
    }

    /// Puts a report that could not be delivered back, to go with the next one.
    public func restore(_ report: AnchorMessages.ServedCalls) {
        lock.withLock {
            failed &+= report.failed
            for entry in report.answered { answered[entry.latencyMilliseconds, default: 0] &+= entry.count }
        }
    }

    /// Counts each `/v1/…` request (the node's API, `/v1/faults` aside): its time and whether it ended in a
    /// server error, thrown or answered.
    struct Middleware: RouterMiddleware {
        typealias Context = BasicRequestContext
        let counter: ServedCallCounter

        func handle(
            _ request: Request, context: Context, next: (Request, Context) async throws -> Response
        ) async throws -> Response {
            let path = request.uri.path
            guard path.hasPrefix("/v1/"), path != NodeFaults.route else { return try await next(request, context) }
            let started = ContinuousClock.now
            func elapsed() -> UInt64 { (ContinuousClock.now - started).wholeMilliseconds }
            do {
                let response = try await next(request, context)
                counter.record(milliseconds: elapsed(), failed: response.status.code >= 500)
                return response
            } catch {
                let status = (error as? any HTTPResponseError)?.status.code ?? 500
                counter.record(milliseconds: elapsed(), failed: status >= 500)
                throw error
            }
        }
    }
}
