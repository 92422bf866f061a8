import Crypto
import Foundation
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptRuntime
import TokenScriptSandbox

/// Many instances at once, through one machine and one pool.
extension EngineBenchmark {
    // MARK: - Many instances

    /// (d) `instances` instances, `attestations[i]` delivered in order to instance i through
    /// `JournaledInstance.deliver` (journal in memory); at most `width` instances in flight. Instances are made
    /// before the clock starts. Seconds for the whole batch.
    func manyRun(_ attestations: [[Attestation]], width: Int) async throws -> Double {
        let machine = self.machine
        let now = self.now
        let live = attestations.indices.map { JournaledInstance(machine: machine, instanceID: "instance-\($0)") }
        let start = clock.now
        let dispositions = try await withThrowingTaskGroup(of: (Int, [StepOutcome.Disposition]).self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                let instance = live[index], ticks = attestations[index]
                group.addTask {
                    var done: [StepOutcome.Disposition] = []
                    for attestation in ticks { done.append(try await instance.deliver(attestation, now: now).disposition) }
                    return (index, done)
                }
            }
            while next < min(width, live.count) { add() }
            var all = [[StepOutcome.Disposition]](repeating: [], count: live.count)
            while let (index, done) = try await group.next() {
                all[index] = done
                if next < live.count { add() }
            }
            return all
        }
        let elapsed = (clock.now - start).seconds
        for (index, done) in dispositions.enumerated() {
            try checkApplied(done, side: "instance-\(index)")
            let instance = await live[index].instance
            guard count(of: instance) == Int64(attestations[index].count) else {
                throw BenchmarkError("instance-\(index) counted \(count(of: instance)), not \(attestations[index].count)")
            }
        }
        return elapsed
    }

    /// The sandbox alone at the same width: the ceiling the many-instances sides can approach.
    func manyBareRun(_ executions: [SandboxExecution], width: Int) async throws -> Double {
        let pool = self.pool
        let start = clock.now
        let results = await withTaskGroup(of: SandboxResult.self) { group in
            var next = 0
            var results: [SandboxResult] = []
            results.reserveCapacity(executions.count)
            while next < min(width, executions.count) {
                let execution = executions[next]
                next += 1
                group.addTask { await pool.run(execution) }
            }
            while let result = await group.next() {
                results.append(result)
                if next < executions.count {
                    let execution = executions[next]
                    next += 1
                    group.addTask { await pool.run(execution) }
                }
            }
            return results
        }
        let elapsed = (clock.now - start).seconds
        try checkBare(results)
        return elapsed
    }
}
