import Foundation
import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// The parent treats the worker as hostile too: a worker that breaks the protocol (as a compromised
/// VM could) is reported as "crashed", killed and replaced, and the parent never hangs or trusts it.
/// The misbehaving worker is the test-only probe in `--serve` mode.
@Suite("Misbehaving worker")
struct MisbehavingWorkerTests {
    static func pool() throws -> SandboxPool {
        let probe = try #require(SandboxWorkerLocator.locate("tokenscript-sandbox-probe"), "probe not built")
        return try SandboxPool(configuration: .init(size: 1, workerPath: probe))
    }

    static func run(_ pool: SandboxPool, _ command: String) -> SandboxResult {
        pool.runBlocking(SandboxExecution(source: command, limits: SandboxLimits(timeoutSeconds: 1), hostFunctions: []))
    }

    @Test(
        "each protocol violation is 'crashed' and the next execution gets a fresh worker",
        arguments: ["garbage-type", "oversize", "unknown-host-call", "silent-exit"])
    func violation(_ command: String) throws {
        let pool = try Self.pool()
        let bad = Self.run(pool, command)
        #expect(bad.status == .crashed, "\(command): \(bad.jsonText)")
        let good = Self.run(pool, "ok")
        #expect(good.status == .ok)
        #expect(good.value == .bool(true))
        #expect(good.workerID != bad.workerID)
    }

    @Test("a worker flooding log frames is stopped at the output limit")
    func logFlood() throws {
        let pool = try Self.pool()
        let r = Self.run(pool, "log-flood")
        #expect(r.status == .limit)
        #expect(r.limit == .output)
        #expect(Self.run(pool, "ok").status == .ok)
    }
}
