import Testing
@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Issue 8, class 1: limits from a library caller are validated where every execution passes (the pool),
/// so a hostile value is an error naming the field and the pool goes on serving.
@Suite("Hostile sandbox limits")
struct HostileLimitTests {
    static let cases: [(String, SandboxLimits, String)] = [
        ("timeout inf", SandboxLimits(timeoutSeconds: .infinity), "timeoutSeconds: inf is out of range"),
        ("timeout 1e12", SandboxLimits(timeoutSeconds: 1e12), "timeoutSeconds: 1000000000000.0 is out of range"),
        ("timeout NaN", SandboxLimits(timeoutSeconds: .nan), "timeoutSeconds: nan is out of range"),
        ("memory 2^63-1", SandboxLimits(memoryBytes: .max), "memoryBytes: 9223372036854775807 is out of range"),
        ("memory -1", SandboxLimits(memoryBytes: -1), "memoryBytes: -1 is out of range"),
        ("instructions 0", SandboxLimits(instructions: 0), "instructions: 0 is out of range"),
        ("output -1", SandboxLimits(outputBytes: -1), "outputBytes: -1 is out of range"),
        ("result 2^63-1", SandboxLimits(resultBytes: .max), "resultBytes: 9223372036854775807 is out of range"),
        ("source -1", SandboxLimits(sourceBytes: -1), "sourceBytes: -1 is out of range"),
        (
            "host reply 2^63-1", SandboxLimits(hostReplyBytes: .max),
            "hostReplyBytes: 9223372036854775807 is out of range"
        ),
    ]

    @Test(
        "each hostile limit is an error naming the field, and the same pool then runs a normal execution",
        arguments: cases.indices)
    func hostileLimit(index: Int) throws {
        let (label, limits, message) = Self.cases[index]
        let pool = try SandboxPool(configuration: .init(size: 1))
        defer { pool.shutdown() }
        let refused = pool.runBlocking(SandboxExecution(source: "return 1", limits: limits))
        #expect(refused.status == .error, "\(label)")
        #expect(refused.message?.hasPrefix(message) == true, "\(label): \(refused.message ?? "")")
        let next = pool.runBlocking(SandboxExecution(source: "return 1 + 1"))
        #expect(next.status == .ok, "\(label)")
        #expect(next.value == .int(2), "\(label)")
    }

    @Test("a pool configuration out of range is a setup error naming the field, not an overflow in RLIMIT_AS")
    func hostileConfiguration() {
        for (configuration, field) in [
            (SandboxPool.Configuration(maxMemoryBytes: .max), "maxMemoryBytes"),
            (SandboxPool.Configuration(size: -1), "size"),
        ] {
            #expect(throws: SandboxPool.SetupError.self) { _ = try SandboxPool(configuration: configuration) }
            do { _ = try SandboxPool(configuration: configuration) } catch {
                #expect("\(error)".hasPrefix(field + ":"), "\(error)")
            }
        }
    }
}
