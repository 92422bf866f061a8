import Testing
import TokenScriptAttestation
import TokenScriptEngine
import TokenScriptJSON
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSandbox
import TokenScriptTesting

/// A token whose transition writes NFC and NFD spellings of the same keys, edge numbers and many keys
/// (`Fixtures/engine/unicode-keys.xml`): every run on fresh workers gives the same state hash and
/// journal, replay agrees, and a transition returning bytes that are not UTF-8 fails its step by path.
@Suite("Byte-exact state") struct ByteExactStateTests {
    static func definition() throws -> TokenDefinition {
        var script = try EngineTestSupport.load(TestPaths.fixtures + "/engine/unicode-keys.xml")
        script.server!.issuers[0].key = EngineTestSupport.meter.issuer.key
        return try TokenDefinition(tokenScript: script)
    }

    static func attestation(_ type: String) throws -> Attestation {
        try EngineTestSupport.meter.sign(
            Attestation(
                id: type, topic: "meter/main", type: type, issuer: EngineTestSupport.meter.issuer,
                issuedAt: 1_790_000_000, payload: [:]))
    }

    @Test("20 runs on fresh workers give one state hash, one journal, and replay agrees")
    func sameHashOnFreshWorkers() async throws {
        let definition = try Self.definition()
        var hashes = Set<String>()
        var journals = Set<String>()
        var replayed = Set<String>()
        var final: TokenInstance?
        for _ in 0..<20 {
            let pool = try SandboxPool(configuration: .init(size: 1))
            defer { pool.shutdown() }
            let instance = JournaledInstance(
                machine: TokenStateMachine(definition: definition, runtime: pool), instanceID: "u-1")
            let outcome = try await instance.deliver(try Self.attestation("fill"), now: 1_790_000_100)
            #expect(outcome.disposition == .applied(trigger: "fill"))
            hashes.insert(outcome.instance.stateHash)
            let journal = try await instance.journal()
            journals.insert(journal.jsonLines)
            let report = try await Replay.run(journal, definition: definition, runtime: pool)
            replayed.insert(report.finalStateHash)
            final = outcome.instance
        }
        #expect(hashes.count == 1)
        #expect(journals.count == 1)
        #expect(replayed == hashes)
        let bag = try #require(final?.attributes["bag"])
        guard case .object(let members) = bag else { Issue.record("bag is \(bag.jsonText)"); return }
        #expect(members.count == 803)
        #expect(members["\u{E9}"] == .string("nfc"))
        #expect(members["e\u{301}"] == .string("nfd"))
        #expect(members["e\u{301}12"] == .int(-12))
        #expect(
            bag.jsonText.contains(
                #""edges":[9223372036854775807,-9223372036854775808,"#
                    + #"9007199254740992.0,9007199254740992,-0.0,1e308,0.5]"#
            ))
    }

    @Test("a transition that returns bytes that are not UTF-8 fails the step, naming the path")
    func invalidUTF8FailsTheStep() async throws {
        let machine = TokenStateMachine(definition: try Self.definition(), runtime: EngineTestSupport.pool)
        let instance = JournaledInstance(machine: machine, instanceID: "u-2")
        let outcome = try await instance.deliver(try Self.attestation("bad-bytes"), now: 1_790_000_100)
        guard case .failed(let trigger, let message) = outcome.disposition else {
            Issue.record("disposition \(outcome.disposition)")
            return
        }
        #expect(trigger == "bad-bytes")
        #expect(message.contains("result.attributes.bag.note: not valid UTF-8"), "\(message)")
        #expect(outcome.instance.state == "empty")
    }
}
