import Foundation

/// Long-lived threads, one per pool slot, on which async executions block.
///
/// An execution blocks its thread on the worker's channel, so it must not run on Swift's cooperative
/// pool (two threads on a two-core node). A thread per call costs more than the execution itself;
/// these threads stay for the pool's lifetime (first in, first out).
final class ExecutorThreads: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var stopped = false

    init(count: Int) {
        for index in 0..<max(1, count) {
            let thread = Thread { [self] in loop() }
            thread.name = "tokenscript-sandbox-executor-\(index)"
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets queued jobs finish, then ends the threads.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while head == jobs.count && !stopped { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 1024 {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
