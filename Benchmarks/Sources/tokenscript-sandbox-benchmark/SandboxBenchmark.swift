import Foundation
import TokenScriptRuntime
import TokenScriptSandbox

/// Executions per second and latency percentiles through the pool, `threads` callers in parallel.
enum SandboxBenchmark {
    static func run(source: String, iterations: Int, threads: Int) throws -> String {
        let pool = try SandboxPool(configuration: .init(size: threads))
        let execution = SandboxExecution(source: source, hostFunctions: [])
        for _ in 0..<min(50, iterations) { _ = pool.runBlocking(execution) }  // warm-up
        let collected = Collected()
        let perThread = iterations / threads
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var local: [Double] = []
            var failed = 0
            local.reserveCapacity(perThread)
            for _ in 0..<perThread {
                let t0 = DispatchTime.now().uptimeNanoseconds
                if pool.runBlocking(execution).status != .ok { failed += 1 }
                local.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000)
            }
            collected.add(local, failed)
        }
        var latencies = collected.latencies
        let failures = collected.failures
        let elapsed = Date().timeIntervalSince(start)
        latencies.sort()
        let p50 = latencies[latencies.count / 2], p99 = latencies[Int(Double(latencies.count) * 0.99)]
        return String(
            format: "{\"iterations\":%d,\"threads\":%d,\"total_s\":%.6f,\"per_s\":%.1f,\"p50_us\":%.2f,\"p99_us\":%.2f,\"failures\":%d}",
            latencies.count, threads, elapsed, Double(latencies.count) / elapsed, p50, p99, failures)
    }
}

private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var latencies: [Double] = []
    private(set) var failures = 0

    func add(_ values: [Double], _ failed: Int) {
        lock.lock()
        latencies += values
        failures += failed
        lock.unlock()
    }
}

extension SandboxBenchmark {
    /// The async API: `callers` tasks awaiting `SandboxPool.run` concurrently.
    static func runAsync(source: String, iterations: Int, callers: Int) async throws -> String {
        let pool = try SandboxPool(configuration: .init(size: 2))
        let execution = SandboxExecution(source: source, hostFunctions: [])
        let start = Date()
        let failures = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    var failed = 0
                    for _ in 0..<(iterations / callers) where await pool.run(execution).status != .ok { failed += 1 }
                    return failed
                }
            }
            return await group.reduce(0, +)
        }
        let elapsed = Date().timeIntervalSince(start)
        return String(format: "{\"iterations\":%d,\"callers\":%d,\"per_s\":%.1f,\"failures\":%d}", iterations, callers, Double(iterations) / elapsed, failures)
    }
}
