// tokenscript-sandbox-benchmark: the sandbox pool's side of Benchmarks/sandbox/run.sh. Needs the worker:
// TOKENSCRIPT_LUA_WORKER=<root scratch>/release/tokenscript-lua-worker (the script builds and sets it).
//   tokenscript-sandbox-benchmark bench FILE N [THREADS]          runs FILE N times through the pool, prints JSON
//   tokenscript-sandbox-benchmark bench-async FILE N              the same through the async API, 8 callers
//   tokenscript-sandbox-benchmark charge-rate FILE BUDGET ROUNDS  wall ns per budget unit (see ChargeRate)
import Foundation

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
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
    let usage = "usage: tokenscript-sandbox-benchmark bench FILE N [THREADS] | bench-async FILE N"
        + " | charge-rate FILE BUDGET ROUNDS\n"
    FileHandle.standardError.write(Data(usage.utf8))
    exit(64)
}
