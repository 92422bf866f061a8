import Foundation
import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// The pool replaces workers that die, and serves more callers than it has workers.
@Suite("Worker pool")
struct SandboxPoolTests {
    @Test("a worker killed from outside while idle is replaced without failing the next execution")
    func idleWorkerKilled() throws {
        let pool = try SandboxPool(configuration: .init(size: 1))
        let victim = try #require(pool.idleWorkerIDs.first)
        kill(victim, SIGKILL)
        usleep(20_000)
        let r = pool.runBlocking(SandboxExecution(source: "return 'fine'"))
        #expect(r.value == .string("fine"))
        #expect(r.workerID != victim)
    }

    @Test("a budget trip replaces the worker")
    func budgetTripRespawns() throws {
        let pool = try SandboxPool(configuration: .init(size: 1))
        let first = pool.runBlocking(
            SandboxExecution(source: "while true do end", limits: SandboxLimits(instructions: 10_000)))
        #expect(first.limit == .instructions)
        #expect(!processIsRunningAfterReap(first.workerID))
        let next = pool.runBlocking(SandboxExecution(source: "return 1"))
        #expect(next.value == .int(1))
        #expect(next.workerID != first.workerID)
    }

    @Test("more concurrent callers than workers all get answers")
    func concurrentCallers() async throws {
        let pool = try SandboxPool(configuration: .init(size: 2))
        let results = await withTaskGroup(of: SandboxResult.self) { group in
            for i in 0..<16 {
                group.addTask { await pool.run(SandboxExecution(source: "return \(i) * 2", hostFunctions: [])) }
            }
            var all: [SandboxResult] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0.status == .ok })
        #expect(Set(results.compactMap { $0.value }).count == 16)
    }

    @Test("after shutdown no worker is left and executions are refused")
    func shutdown() throws {
        let pool = try SandboxPool(configuration: .init(size: 2))
        let workers = pool.idleWorkerIDs
        pool.shutdown()
        for worker in workers { #expect(!processIsRunningAfterReap(worker)) }
        #expect(pool.runBlocking(SandboxExecution(source: "return 1")).status == .crashed)
    }

    private func processIsRunningAfterReap(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }
}
