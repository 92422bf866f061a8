import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// A workload whose budget outcome must not depend on the machine: `expected` is "ok" or
/// "limit/instructions", whatever the wall-clock deadline.
struct BudgetWorkload: Sendable, CustomTestStringConvertible {
    var label: String
    var source: String
    var expected: String
    var testDescription: String { label }
}

/// Deterministic budgets (issue 8, class 4): every VM instruction in every coroutine and the C work
/// of library functions are charged to one instruction budget, so whether a script completes or
/// stops is a function of script, input and limits, never of the node's speed.
@Suite("Budgets independent of machine speed")
struct BudgetDeterminismTests {
    static let budget: UInt64 = 3_000_000

    static let workloads: [BudgetWorkload] = [
        .init(
            label: "short coroutines, each below the hook interval",
            source: "while true do local co = coroutine.wrap(function() for j = 1, 100 do end end) co() end",
            expected: "limit/instructions"),
        .init(
            label: "coroutines resumed through coroutine.resume, ending in errors",
            source:
                "while true do coroutine.resume(coroutine.create(function() for j = 1, 50 do end error('x') end)) end",
            expected: "limit/instructions"),
        .init(
            label: "a generator coroutine that completes",
            source: """
                local gen = coroutine.wrap(function() for i = 1, 20000 do coroutine.yield(i) end end)
                local n = 0 for i = 1, 20000 do n = n + gen() end return n
                """,
            expected: "ok"),
        .init(
            label: "a backtracking pattern",
            source: "return string.find(('a'):rep(30000), ('a*'):rep(20) .. 'b')", expected: "limit/instructions"),
        .init(
            label: "gsub with a replacement function, completing",
            source: "local s = ('hello world '):rep(2000) local r, n = s:gsub('%w+', string.upper) return n",
            expected: "ok"),
        .init(
            label: "gmatch, find and match over a long subject",
            source:
                "local s = ('ab'):rep(50000) while true do for w in s:gmatch('a(b)') do end s:find('c', 1, true) end",
            expected: "limit/instructions"),
        .init(
            label: "sorting with and without a comparator",
            source: """
                local t = {} for i = 1, 3000 do t[i] = (i * 7919) % 3001 end
                while true do table.sort(t, function(a, b) return a > b end) table.sort(t) end
                """,
            expected: "limit/instructions"),
        .init(
            label: "sorting strings with long common prefixes, completing",
            source:
                "local p = ('x'):rep(4000) local t = {} for i = 1, 300 do "
                + "t[i] = p .. ((i * 37) % 300) end table.sort(t) return t[1]:sub(-3)",
            expected: "ok"),
        .init(
            label: "table.concat in a loop",
            source:
                "local t = {} for i = 1, 1000 do t[i] = ('x'):rep(i) end "
                + "while true do local s = table.concat(t, ',') end",
            expected: "limit/instructions"),
        .init(
            label: "repeating an empty string 2^40 times", source: "return (''):rep(1 << 40)",
            expected: "limit/instructions"),
        .init(
            label: "next(t) as an emptiness test on a big table",
            source: "local t = {} for i = 1, 5000 do t['k' .. i] = i end while next(t) do end",
            expected: "limit/instructions"),
        .init(
            label: "pairs over a big table again and again",
            source: "local t = {} for i = 1, 5000 do t['k' .. i] = i end while true do for k, v in pairs(t) do end end",
            expected: "limit/instructions"),
        .init(
            label: "utf8, byte, format and os.date over long inputs",
            source: """
                local s, nums = ('é'):rep(50000), {} for i = 1, 100 do nums[i] = i end
                while true do utf8.len(s) local _ = {s:byte(1, 5000)} string.format(('%5.1f'):rep(100), \
                table.unpack(nums)) end
                """,
            expected: "limit/instructions"),
        .init(
            label: "os.date with many conversions",
            source: "local f = ('%c'):rep(2000) while true do os.date('!' .. f, 0) end",
            expected: "limit/instructions"),
        .init(
            label: "load of a large chunk in a loop",
            source: "local src = ('local a = 1 '):rep(20000) while true do load(src) end",
            expected: "limit/instructions"),
    ]

    static func run(_ source: String, timeout: Double, instructions: UInt64 = budget) -> SandboxResult {
        SandboxTestSupport.run(
            source, limits: SandboxLimits(instructions: instructions, timeoutSeconds: timeout),
            mode: .deterministic(seed: 1, logicalTime: 1_700_000_000))
    }

    @Test(
        "each workload gives the same status, limit and instruction count with the deadline raised 100x",
        arguments: workloads)
    func sameOutcomeWithRaisedDeadline(_ workload: BudgetWorkload) {
        let normal = Self.run(workload.source, timeout: 10)
        let raised = Self.run(workload.source, timeout: 1000)
        #expect(HostileCase.classify(normal) == workload.expected, "\(normal.jsonText)")
        #expect(HostileCase.classify(raised) == HostileCase.classify(normal))
        #expect(raised.instructions == normal.instructions)
        if workload.expected == "limit/instructions" {
            #expect(normal.instructions > Self.budget)
        } else {
            #expect(normal.instructions <= Self.budget)
        }
    }

    @Test("122 million instructions in short coroutines stop at a 5 million budget")
    func coroutinesAreCharged() {
        let r = Self.run(
            "local n = 0 for i = 1, 200000 do local co = coroutine.wrap(function() "
                + "for j = 1, 150 do n = n + 1 end end) co() end return n",
            timeout: 1000, instructions: 5_000_000)
        #expect(HostileCase.classify(r) == "limit/instructions", "\(r.jsonText)")
    }

    @Test("instructions run inside coroutines are counted exactly, not at hook granularity")
    func coroutineCountIsExact() {
        // One more loop iteration per call must cost the same, whether the loop runs directly or in
        // 300 short coroutines (each far below the 1,000-instruction hook interval).
        func count(_ wrap: Bool, _ iterations: Int) -> UInt64 {
            let call =
                wrap
                ? "coroutine.wrap(function() for j = 1, \(iterations) do n = n + 1 end end)()"
                : "(function() for j = 1, \(iterations) do n = n + 1 end end)()"
            let r = Self.run("local n = 0 for i = 1, 300 do \(call) end return n", timeout: 100)
            #expect(r.value == .int(Int64(300 * iterations)), "\(r.jsonText)")
            return r.instructions
        }
        let directStep = count(false, 151) - count(false, 150)
        let wrappedStep = count(true, 151) - count(true, 150)
        #expect(directStep > 0)
        #expect(wrappedStep == directStep)
    }

    @Test("deterministic next stays linear over a whole traversal")
    func nextIsAmortisedConstant() {
        // Twice the keys should cost about twice the units (a re-sort per step would cost n^2 log n).
        let small = Self.run(
            "local t = {} for i = 1, 2000 do t['k' .. i] = i end "
                + "local c = 0 for k in pairs(t) do c = c + 1 end return c",
            timeout: 100, instructions: 1 << 40)
        let large = Self.run(
            "local t = {} for i = 1, 4000 do t['k' .. i] = i end "
                + "local c = 0 for k in pairs(t) do c = c + 1 end return c",
            timeout: 100, instructions: 1 << 40)
        #expect(small.value == .int(2000) && large.value == .int(4000))
        #expect(
            Double(large.instructions) < 2.6 * Double(small.instructions),
            "\(small.instructions) -> \(large.instructions)")
    }

    @Test("a table of budgets gives identical counts on fresh workers, run after run")
    func identicalCountsAcrossFreshWorkers() throws {
        for workload in Self.workloads {
            // A new pool per round: every round starts on freshly spawned workers.
            var seen = Set<String>()
            for _ in 0..<3 {
                let pool = try SandboxPool(configuration: .init(size: 1))
                let r = pool.runBlocking(
                    SandboxExecution(
                        source: workload.source, limits: SandboxLimits(instructions: Self.budget, timeoutSeconds: 100),
                        mode: .deterministic(seed: 1, logicalTime: 1_700_000_000)))
                seen.insert("\(HostileCase.classify(r)) \(r.instructions) \(r.jsonText)")
                pool.shutdown()
            }
            #expect(seen.count == 1, "\(workload.label): \(seen)")
        }
    }

    @Test("the pattern matcher keeps stock results for anchors, captures, frontiers and balances")
    func patternSemantics() {
        let r = Self.run(
            """
            local out = {}
            out[#out + 1] = table.concat({string.find('hello world', 'o w')}, ',')
            out[#out + 1] = table.concat({string.match('key = value', '^(%w+)%s*=%s*(%w+)$')}, ',')
            out[#out + 1] = select(2, ('THE (quick) fox'):gsub('%f[%a]%a+', function(w) return w:lower() end))
            out[#out + 1] = ('x(a(b)c)y'):match('%b()')
            out[#out + 1] = ('aaa'):gsub('a*', '-')
            out[#out + 1] = tostring(('abc'):find('b', 1, true))
            out[#out + 1] = ('a,b,,c'):gsub(',', ';', 2)
            local w = {} for k, v in ('a=1, b=2'):gmatch('(%w+)=(%w+)') do w[#w + 1] = k .. v end
            out[#out + 1] = table.concat(w, '+')
            out[#out + 1] = tostring(('abc'):match('()b()'))
            return table.concat(out, '|')
            """, timeout: 100)
        #expect(r.value == .string("5,7|key,value|3|(a(b)c)|-|2|a;b;,c|a1+b2|2"), "\(r.jsonText)")
    }
}
