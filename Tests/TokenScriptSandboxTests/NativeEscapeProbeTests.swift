import Foundation
import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Native escape attempts (catalogue N01–N13) made from inside a process that entered exactly the
/// worker's sandbox. The attempting code lives in a test-only executable, unreachable from Lua.
@Suite("Native escape attempts after the filter")
struct NativeEscapeProbeTests {
    static let probe = SandboxWorkerLocator.locate("tokenscript-sandbox-probe")

    static func attempt(_ name: String) throws -> (String, ChildProcess.Ending) {
        let path = try #require(probe, "tokenscript-sandbox-probe is not built next to the test runner")
        return try ChildProcess(path, [name], pipeAs: 3).finish()
    }

    /// Each is killed by the filter (SIGSYS, SCMP_ACT_KILL_PROCESS) before the syscall does anything.
    static let killed = [
        "N02", "N03", "N04", "N04-fork", "N05", "N05-vm", "N06", "N06-mprotect", "N07", "N08", "N09", "N09-int80",
        "N10", "N11", "N11-memfd", "N11-clone3", "N11-bpf", "N11-perf", "N12", "N12-prctl", "N13",
    ]

    @Test("a sandboxed process that attempts nothing runs normally")
    func control() throws {
        let (output, ending) = try Self.attempt("none")
        #expect(ending == .exited(0))
        #expect(output == "alive\n")
    }

    @Test("opening a file fails with EACCES and reads nothing (N01)")
    func openDenied() throws {
        let (output, ending) = try Self.attempt("N01")
        #expect(ending == .exited(0))
        #expect(output == "returned -1 errno \(EACCES)\n")
    }

    @Test("each escape syscall kills the process with SIGSYS", arguments: killed)
    func escapeKilled(_ name: String) throws {
        let (output, ending) = try Self.attempt(name)
        #expect(ending == .signaled(SIGSYS), "\(name) survived: \(output)")
        #expect(output.isEmpty, "\(name) reported: \(output)")
    }

    @Test(
        """
        before the filter: one descriptor, not dumpable, no_new_privs, PDEATHSIG, \
        zero core/fsize/nproc (N14, N17, N18)
        """
    )
    func lockedDownState() throws {
        let (output, ending) = try Self.attempt("state")
        #expect(ending == .exited(0))
        #expect(output == "fds=1 dumpable=0 nnp=1 pdeathsig=9 core=0 fsize=0 nofile=4 nproc=0\n")
    }
}
