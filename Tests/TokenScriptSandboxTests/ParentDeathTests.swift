import Foundation
import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Catalogue N17: when the service dies (even by SIGKILL), its workers die with it (PR_SET_PDEATHSIG),
/// so no orphan keeps running scripts.
@Suite("Parent death")
struct ParentDeathTests {
    @Test("SIGKILLing a process that owns a pool leaves no worker behind")
    func workersDieWithService() throws {
        let host = try #require(SandboxWorkerLocator.locate("tokenscript-sandbox-testhost"), "testhost not built")
        let child = try ChildProcess(host, ["hold-pool", "3"], pipeAs: 1)
        let line = child.readLine()
        let workers = line.split(separator: " ").dropFirst().compactMap { pid_t($0) }
        #expect(workers.count == 3, "test host said: \(line)")
        for worker in workers { #expect(processIsRunning(worker)) }
        kill(child.pid, SIGKILL)
        _ = child.wait()
        child.closeReadEnd()
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && workers.contains(where: processIsRunning) { usleep(10_000) }
        for worker in workers { #expect(!processIsRunning(worker), "worker \(worker) outlived its parent") }
    }
}
