import Foundation
import Hummingbird
import TokenScriptHTTPServer

/// A slow node on demand, for tests and the demo (`tokenscript node --fault-injection`): `POST /v1/faults
/// {"delayMilliseconds": N}` makes the node wait N ms (0…10000) before answering any other request, `/health`
/// included, so the anchor's probes see it slow while its heartbeats (its own requests) go out on time. Without
/// the flag the route answers 404 `fault-injection-off` and nothing is ever delayed.
public final class NodeFaults: @unchecked Sendable {
    public static let route = "/v1/faults"
    public static let maximumDelayMilliseconds = 10_000

    private let lock = NSLock()
    private var delay = 0

    public init() {}

    /// The delay every answer waits now, in milliseconds.
    public var delayMilliseconds: Int { lock.withLock { delay } }

    func set(_ milliseconds: Int) { lock.withLock { delay = milliseconds } }

    struct Answer: Encodable {
        var status = "ok"
        var delayMilliseconds: Int
    }

    /// The route that sets the delay and, when `enabled`, the middleware that delays; disabled, the route answers
    /// 404 `fault-injection-off` and nothing is delayed.
    func add(to router: Router<BasicRequestContext>, enabled: Bool) {
        if enabled { router.add(middleware: Delay(faults: self)) }
        router.post(RouterPath(Self.route)) { request, _ in
            do throws(HostError) {
                guard enabled else {
                    throw HostError(
                        .notFound, code: "fault-injection-off", "this node runs without --fault-injection")
                }
                let object = try RequestReading.object(try await RequestReading.bytes(request))
                guard object.count == 1, let asked = object["delayMilliseconds"]?.integerValue,
                    (0...Int64(Self.maximumDelayMilliseconds)).contains(asked)
                else {
                    throw HostError(
                        .badRequest, code: "invalid-field", "expected {\"delayMilliseconds\": 0…10000}",
                        field: "delayMilliseconds")
                }
                self.set(Int(asked))
                return HTTPJSON.json(Answer(delayMilliseconds: Int(asked)))
            } catch {
                return RequestReading.response(error)
            }
        }
    }

    struct Delay: RouterMiddleware {
        typealias Context = BasicRequestContext
        let faults: NodeFaults

        func handle(
            _ request: Request, context: Context, next: (Request, Context) async throws -> Response
        ) async throws -> Response {
            let delay = faults.delayMilliseconds
            if delay > 0, request.uri.path != NodeFaults.route { try await Task.sleep(for: .milliseconds(delay)) }
            return try await next(request, context)
        }
    }
}
