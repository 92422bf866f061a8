import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Deterministic mode: same script, input and seed give byte-identical output on any worker.
@Suite("Deterministic mode")
struct DeterminismTests {
    /// Iterates string- and number-keyed tables with pairs and next, draws random numbers, sorts
    /// records with equal keys, and reads the logical clock.
    static let script = """
        local t = {}
        for i = 1, 200 do t['key' .. i] = i; t[i * 7] = 'v' .. i end
        t[1.5] = 'f'; t[true] = 'b'
        local order = {}
        for k, v in pairs(t) do order[#order + 1] = tostring(k) end
        local k, n = next(t), 0
        while k ~= nil do n = n + 1; k = next(t, k) end
        local draws = {}
        for i = 1, 20 do draws[i] = math.random(1, 1000000) end
        draws[#draws + 1] = math.random()
        local recs = {}
        for i = 1, 300 do recs[i] = {group = i % 3, id = i} end
        table.sort(recs, function(a, b) return a.group < b.group end)
        local ids = {}
        for i = 1, 300 do ids[i] = recs[i].id end
        print(table.concat(order, ','))
        print(os.time(), os.date('!%Y-%m-%dT%H:%M:%S'), os.clock() >= 0)
        host.log('input', host.input().name)
        return {order = table.concat(order, ','), count = n, draws = draws, ids = ids, time = os.time()}
        """

    @Test("100 runs across different workers give identical output bytes")
    func identicalAcrossWorkers() throws {
        let pool = try SandboxPool(configuration: .init(size: 3))
        let execution = SandboxExecution(
            source: Self.script, input: .object(["name": .string("alice")]),
            mode: .deterministic(seed: 42, logicalTime: 1_700_000_000))
        var outputs = Set<String>()
        var workers = Set<Int32>()
        for _ in 0..<100 {
            let r = pool.runBlocking(execution)
            #expect(r.status == .ok, "\(r.jsonText)")
            outputs.insert(r.jsonText)
            workers.insert(r.workerID)
        }
        #expect(outputs.count == 1)
        #expect(workers.count >= 2, "executions should rotate over workers")
        let r = pool.runBlocking(execution)
        #expect(r.log.contains("1700000000\t2023-11-14T22:13:20\ttrue"))
        #expect(r.log.contains("input\talice"))
    }

    @Test("canonical order is numbers, then strings bytewise, then booleans")
    func canonicalOrder() {
        let r = SandboxTestSupport.run(
            "local o = {} for k in pairs({b = 1, a = 1, [3] = 1, [1] = 1, [2.5] = 1, "
                + "[false] = 1, [true] = 1, B = 1}) do o[#o + 1] = tostring(k) end return table.concat(o, ' ')",
            mode: .deterministic(seed: 1))
        #expect(r.value == .string("1 2.5 3 B a b false true"))
    }

    @Test("integer keys beyond 2^53 keep their exact order and every key is visited once")
    func hugeIntegerKeys() {
        let r = SandboxTestSupport.run(
            "local b = 1 << 53; local t = {[b + 1] = 1, [b] = 1, [b + 2] = 1, [2.5] = 1}; "
                + "local o = {} for k in pairs(t) do o[#o + 1] = tostring(k) end return table.concat(o, ' ')",
            mode: .deterministic(seed: 1))
        #expect(r.value == .string("2.5 9007199254740992 9007199254740993 9007199254740994"))
    }

    @Test("a different seed draws different random numbers")
    func seedMatters() {
        let a = SandboxTestSupport.run("return math.random(1, 1 << 40)", mode: .deterministic(seed: 1))
        let b = SandboxTestSupport.run("return math.random(1, 1 << 40)", mode: .deterministic(seed: 2))
        #expect(a.value != b.value)
    }

    @Test("tables keyed by tables cannot be iterated deterministically and say so")
    func referenceKeysRefused() {
        let r = SandboxTestSupport.run("local t = {[{}] = 1}; for k in pairs(t) do end", mode: .deterministic(seed: 1))
        #expect(r.status == .error)
        #expect(r.message?.contains("deterministic mode") == true)
    }

    @Test("the stable sort keeps equal elements in their original order")
    func stableSort() {
        let r = SandboxTestSupport.run(
            "local t = {{1,'a'},{0,'b'},{1,'c'},{0,'d'}}; table.sort(t, function(x, y) "
                + "return x[1] < y[1] end); return t[1][2]..t[2][2]..t[3][2]..t[4][2]",
            mode: .deterministic(seed: 1))
        #expect(r.value == .string("bdac"))
    }

    @Test("non-deterministic mode reads the real clock")
    func nondeterministicClock() {
        let r = SandboxTestSupport.run("return os.time()")
        guard case .int(let t)? = r.value else {
            Issue.record("no time: \(r.jsonText)")
            return
        }
        #expect(t > 1_700_000_000)
    }
}
