import Testing

@testable import TokenScriptNode

/// The queue of submits waiting for the apply loops to drain: resumed one at a time, longest waiting first.
@Suite("DriveAdmission")
struct DriveAdmissionTests {
    /// Holds an admission as the host does, on an actor; records the order waiters are resumed in.
    actor Gate {
        var admission = DriveAdmission(limit: 1)
        var resumed: [Int] = []
        var waiting = 0

        func wait(_ number: Int) async {
            waiting += 1
            await withCheckedContinuation { admission.wait($0) }
            resumed.append(number)
        }

        func admitNext() { admission.admitNext() }
        func admitAll() { admission.admitAll() }
    }

    @Test("admitNext resumes the longest waiting submit only; admitAll the rest; an empty queue is a no-op")
    func firstInFirstOut() async throws {
        let gate = Gate()
        await gate.admitNext()
        var tasks: [Task<Void, Never>] = []
        for number in 1...3 {
            tasks.append(Task { await gate.wait(number) })
            while await gate.waiting < number { await Task.yield() }
        }
        await gate.admitNext()
        await tasks[0].value
        #expect(await gate.resumed == [1])
        await gate.admitAll()
        await tasks[1].value
        await tasks[2].value
        #expect(await gate.resumed.sorted() == [1, 2, 3])
        #expect(await gate.resumed.first == 1)
    }

    @Test("a limit below one is taken as one")
    func limitAtLeastOne() {
        #expect(DriveAdmission(limit: 0).limit == 1)
    }
}
