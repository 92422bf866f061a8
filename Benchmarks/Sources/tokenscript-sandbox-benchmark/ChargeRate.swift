import Foundation
import TokenScriptRuntime
import TokenScriptSandbox

/// How much wall time one unit of the instruction budget stands for, per workload: the script runs
/// (deterministic mode) until a fixed budget stops it; the median over rounds of elapsed / units.
/// Comparing the rows of one run shows whether any charged C work is cheap for its price.
enum ChargeRate {
    static func run(source: String, budget: UInt64, rounds: Int) throws -> String {
        let pool = try SandboxPool(configuration: .init(size: 1))
        defer { pool.shutdown() }
        let execution = SandboxExecution(
            source: source, limits: SandboxLimits(instructions: budget, timeoutSeconds: 120),
            mode: .deterministic(seed: 1, logicalTime: 1_700_000_000), hostFunctions: [])
        var rates: [Double] = []
        var outcome = ""
        for _ in 0..<max(1, rounds) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let r = pool.runBlocking(execution)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - t0)
            outcome = r.limit.map { "\(r.status.rawValue)/\($0.rawValue)" } ?? r.status.rawValue
            rates.append(elapsed / Double(max(r.instructions, 1)))
        }
        rates.sort()
        return String(format: "{\"ns_per_unit\":%.2f,\"outcome\":\"%@\"}", rates[rates.count / 2], outcome)
    }
}
