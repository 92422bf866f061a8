// tokenscript-sandbox-testhost: TEST AND BENCHMARK ONLY. A separate process that owns a sandbox pool,
// so tests can SIGKILL the "service" and check that its workers die with it (PR_SET_PDEATHSIG).
//   tokenscript-sandbox-testhost hold-pool N     prints "workers PID..." then sleeps until killed
//   tokenscript-sandbox-testhost bench FILE N [THREADS]   runs FILE N times through the pool, prints JSON
//   tokenscript-sandbox-testhost bench-async FILE N       the same through the async API, 8 callers
//   tokenscript-sandbox-testhost charge-rate FILE BUDGET ROUNDS   wall ns per budget unit (see ChargeRate)
import Foundation
import TokenScriptRuntime
import TokenScriptSandbox

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "hold-pool":
    let size = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2
    let pool = try SandboxPool(configuration: .init(size: size))
    FileHandle.standardOutput.write(Data(("workers " + pool.idleWorkerIDs.map(String.init).joined(separator: " ") + "\n").utf8))
    while true { sleep(60) }
case "bench":
    guard arguments.count > 3, let source = try? String(contentsOfFile: arguments[2], encoding: .utf8),
          let iterations = Int(arguments[3]) else { exit(64) }
    let threads = arguments.count > 4 ? Int(arguments[4]) ?? 2 : 2
    print(try SandboxBenchmark.run(source: source, iterations: iterations, threads: threads))
case "bench-async":
    guard arguments.count > 3, let source = try? String(contentsOfFile: arguments[2], encoding: .utf8),
          let iterations = Int(arguments[3]) else { exit(64) }
    print(try await SandboxBenchmark.runAsync(source: source, iterations: iterations, callers: 8))
case "charge-rate":
    guard arguments.count > 4, let source = try? String(contentsOfFile: arguments[2], encoding: .utf8),
          let budget = UInt64(arguments[3]), let rounds = Int(arguments[4]) else { exit(64) }
    print(try ChargeRate.run(source: source, budget: budget, rounds: rounds))
default:
    FileHandle.standardError.write(Data("usage: tokenscript-sandbox-testhost hold-pool N | bench FILE N [THREADS] | charge-rate FILE BUDGET ROUNDS\n".utf8))
    exit(64)
}
