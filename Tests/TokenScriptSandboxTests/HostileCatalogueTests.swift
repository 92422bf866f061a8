import Foundation
import Testing

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// Every hostile case runs in a real worker under the real filter (sandbox.md §5, fourth style):
/// the outcome is classified, the parent stays up, and the next execution in the pool succeeds.
@Suite("Hostile Lua catalogue")
struct HostileCatalogueTests {
    static let pool: SandboxPool = {
        do { return try SandboxPool(configuration: .init(size: 2)) } catch { fatalError("\(error)") }
    }()

    @Test("the shared catalogue is present and every Lua row has an expected outcome", SandboxTestSupport.needsShared)
    func catalogueIsComplete() {
        let cases = HostileCatalogue.load()
        #expect(cases.count >= 40, "cases.tsv missing or unreadable at \(SandboxTestSupport.sharedDirectory.path)")
        for c in cases where c.allowed.isEmpty { Issue.record("no expected outcome for \(c.id)") }
    }

    @Test(
        "each shared hostile case ends as expected and the pool keeps serving", SandboxTestSupport.needsShared,
        arguments: HostileCatalogue.load())
    func sharedCase(_ hostile: HostileCase) {
        check(hostile)
    }

    @Test("our own hostile fixtures are present, each with an expected outcome")
    func fixturesArePresent() {
        let cases = HostileCatalogue.loadFixtures()
        // Without this, a missing Fixtures/hostile-lua would leave the parameterised test below with no cases.
        #expect(cases.count >= 19, "Fixtures/hostile-lua missing or unreadable")
        for c in cases where c.allowed.isEmpty { Issue.record("\(c.id): no `-- expect:` first line") }
    }

    @Test("each of our own hostile fixtures ends as expected", arguments: HostileCatalogue.loadFixtures())
    func fixtureCase(_ hostile: HostileCase) {
        check(hostile)
    }

    @Test("the Debian luaV_concat use-after-free reproducer crashes only its worker", SandboxTestSupport.needsShared)
    func concatUseAfterFreeCanary() throws {
        for file in ["concat_uaf.lua"] {
            let url = SandboxTestSupport.sharedDirectory.appendingPathComponent("hostile/lua/\(file)")
            let source = try String(contentsOf: url, encoding: .utf8)
            let r = Self.pool.runBlocking(SandboxExecution(source: source, limits: HostileCatalogue.limits))
            // Canary: when liblua gains upstream 603b2c64 this turns into "ok"; until then the worker dies.
            #expect(r.status == .crashed, "\(file): \(r.jsonText)")
            #expect(Self.pool.runBlocking(SandboxExecution(source: "return 1 + 1")).value == .int(2))
        }
    }

    private func check(_ hostile: HostileCase) {
        let r = Self.pool.runBlocking(SandboxExecution(source: hostile.source, limits: HostileCatalogue.limits))
        let got = HostileCase.classify(r)
        #expect(hostile.allowed.contains(got), "\(hostile.id): got \(got): \(r.jsonText)")
        if let mentions = hostile.mentions {
            let text = (r.message ?? "") + (r.value?.jsonText ?? "")
            #expect(text.contains(mentions), "\(hostile.id): \(r.jsonText)")
        }
        let leak = (r.message ?? "") + (r.value?.jsonText ?? "") + r.log.joined()
        #expect(!leak.contains("0x"), "\(hostile.id) leaked an address: \(leak.prefix(200))")
        let next = Self.pool.runBlocking(SandboxExecution(source: "return 'alive'"))
        #expect(next.value == .string("alive"), "pool did not recover after \(hostile.id): \(next.jsonText)")
    }
}
