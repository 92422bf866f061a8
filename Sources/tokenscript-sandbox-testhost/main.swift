// tokenscript-sandbox-testhost: TEST ONLY. A separate process that owns a sandbox pool, so tests can SIGKILL
// the "service" and check that its workers die with it (PR_SET_PDEATHSIG).
//   tokenscript-sandbox-testhost hold-pool N     prints "workers PID..." then sleeps until killed
// The pool benchmarks live in the Benchmarks package (tokenscript-sandbox-benchmark, Benchmarks/sandbox/run.sh).
import Foundation
import TokenScriptRuntime
import TokenScriptSandbox

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "hold-pool":
    let size = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2
    let pool = try SandboxPool(configuration: .init(size: size))
    FileHandle.standardOutput.write(
        Data(("workers " + pool.idleWorkerIDs.map(String.init).joined(separator: " ") + "\n").utf8))
    while true { sleep(60) }
default:
    FileHandle.standardError.write(Data("usage: tokenscript-sandbox-testhost hold-pool N\n".utf8))
    exit(64)
}
