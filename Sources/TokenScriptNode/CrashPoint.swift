import Foundation
import TokenScriptEffects
import TokenScriptEngine

#if canImport(Glibc)
    import Glibc
#endif

/// A test-only fault-injection hook, like etcd's gofail or TiKV's fail-rs: the process kills itself with
/// SIGKILL at one named point of an effect call, so a test can kill an executor exactly between two of the
/// `EffectExecutor`'s records — a moment no outside `kill -9` can hit reliably.
///
/// Set by the environment (`TOKENSCRIPT_CRASH_POINT`, never a flag or a config field: operators have no use for
/// it). With `TOKENSCRIPT_CRASH_ONCE=PATH` the process dies only if it creates `PATH` exclusively
/// (`O_CREAT|O_EXCL`), so when every node of a network carries the variables the first executor to reach the
/// point dies and the next one (or the same node restarted) goes on.
public struct CrashPoint: Sendable, Hashable {
    /// Where an effect call can be cut.
    public enum Point: String, Sendable, Hashable, CaseIterable {
        /// After the executor journaled `attemptStarted`, before the transport sends anything: the API sees
        /// no request.
        case effectAttemptStarted = "effect-attempt-started"
        /// After the transport returned the API's answer, before `attemptEnded` reaches the journal and before
        /// any outcome is signed or logged: the API did its work, nobody recorded it.
        case effectAttemptEnded = "effect-attempt-ended"
    }

    public static let pointVariable = "TOKENSCRIPT_CRASH_POINT"
    public static let onceVariable = "TOKENSCRIPT_CRASH_ONCE"

    public var point: Point
    /// The marker file whose exclusive creation arms the crash; nil crashes every time the point is reached.
    public var onceMarker: String?

    public init(point: Point, onceMarker: String? = nil) {
        self.point = point
        self.onceMarker = onceMarker
    }

    /// The hook `environment` asks for; nil when `TOKENSCRIPT_CRASH_POINT` is unset or empty.
    /// - Throws: `NodeConfigurationError` naming the variable for an unknown point, or for
    ///   `TOKENSCRIPT_CRASH_ONCE` without a point or with an empty path.
    public init?(environment: [String: String]) throws {
        let once = environment[Self.onceVariable]
        guard let name = environment[Self.pointVariable], !name.isEmpty else {
            if once != nil {
                throw NodeConfigurationError(
                    field: Self.onceVariable, message: "set without \(Self.pointVariable): no point to crash at")
            }
            return nil
        }
        guard let point = Point(rawValue: name) else {
            let known = Point.allCases.map(\.rawValue).joined(separator: ", ")
            throw NodeConfigurationError(
                field: Self.pointVariable, message: "unknown crash point \(name) (known: \(known))")
        }
        if let once, once.isEmpty {
            throw NodeConfigurationError(field: Self.onceVariable, message: "expected a marker file path")
        }
        self.init(point: point, onceMarker: once)
    }

    /// Kills this process with SIGKILL when `reached` is this hook's point (and, with a marker, this process
    /// created the marker). Returns otherwise.
    func reach(_ reached: Point) {
        guard reached == point else { return }
        if let onceMarker {
            let descriptor = open(onceMarker, O_CREAT | O_EXCL | O_WRONLY, 0o644)
            guard descriptor >= 0 else { return }
            close(descriptor)
        }
        let line = Array("crash point \(point.rawValue) reached: SIGKILL\n".utf8)
        _ = write(STDERR_FILENO, line, line.count)
        kill(getpid(), SIGKILL)
    }
}

/// The node's effect transport with a `CrashPoint` around each attempt: the `EffectExecutor` journals
/// `attemptStarted` right before `perform` and `attemptEnded` right after it returns, so the two points fall
/// exactly between those records and the call.
public struct CrashPointTransport: EffectTransport {
    let base: any EffectTransport
    let crash: CrashPoint

    public init(wrapping base: any EffectTransport, crash: CrashPoint) {
        self.base = base
        self.crash = crash
    }

    public func perform(_ request: BuiltEffectRequest) async -> EffectResult {
        crash.reach(.effectAttemptStarted)
        let result = await base.perform(request)
        crash.reach(.effectAttemptEnded)
        return result
    }
}
