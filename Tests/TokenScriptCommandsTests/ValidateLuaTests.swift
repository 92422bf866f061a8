import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript validate` compiles every Lua body of `sl:server` in a sandbox worker and reports syntax errors at
/// the document's line; it also finds results that name undeclared states, attributes and effects.
@Suite("validate: Lua")
struct ValidateLuaTests {
    static func report(_ path: String) throws -> (Int32, Validate.FileReport, String) {
        let console = Console.capture()
        let status = Validate.run(try Validate.Options.parse([path, "--json"]), console: console)
        let report = try JSONDecoder().decode(Validate.Report.self, from: Data(console.output.utf8))
        let text = Console.capture()
        _ = Validate.run(try Validate.Options.parse([path]), console: text)
        return (status, try #require(report.files.first), text.output)
    }

    /// One syntax error in each kind of Lua body, each on a line marked with a comment.
    static let syntaxErrors = LuaDocuments.document(
        """
                <sl:computed name="double">
                    local x = attributes.count
                    return x * * 2 -- COMPUTED
                </sl:computed>
                <sl:trigger name="bump">
                    <sl:on-attestation topic="meter/*" type="tick"/>
                    <sl:transition>
                        local n = attributes.count
                        local = n -- TRANSITION
                        return {attributes = {count = n + 1}}
                    </sl:transition>
                </sl:trigger>
                <sl:trigger name="unclosed">
                    <sl:on-attestation topic="meter/*" type="tock"/>
                    <sl:transition>
                        local n = attributes.count
                        if n > 1 then -- IF-OPENS
                            n = n + 1
                        return {attributes = {count = n}} -- EOF
                    </sl:transition>
                </sl:trigger>
                <sl:effect name="notify" method="POST" url="https://example.org/notify" timeout="PT5S">
                    <sl:request>
                        return {body = = 1} -- REQUEST
                    </sl:request>
                    <sl:idempotency-key header="Idempotency-Key">
                        return "k" .. .. "x" -- KEY
                    </sl:idempotency-key>
                </sl:effect>
                <sl:interface name="peek">
                    local a = 1
                    return {a = } -- INTERFACE
                </sl:interface>
        """)

    @Test("a syntax error in each kind of Lua body is an error at its document line, in text and JSON (kind lua)")
    func syntaxErrorInEveryKind() throws {
        let directory = try TemporaryDirectory()
        let text = Self.syntaxErrors
        let path = try LuaDocuments.write(text, to: directory.path)
        let (status, file, human) = try Self.report(path)
        #expect(status == 1)
        #expect(!file.valid)
        let lua = file.errors.filter { $0.kind == "lua" }
        func line(_ marker: String) throws -> Int { try #require(LuaDocuments.line(of: marker, in: text)) }
        let expected: [(String, String, String)] = [
            ("COMPUTED", "computed attribute 'double'", "unexpected symbol near '*'"),
            ("TRANSITION", "the transition of trigger 'bump'", "<name> expected near '='"),
            (
                "EOF", "the transition of trigger 'unclosed'",
                "'end' expected (to close 'if' at line \(try line("IF-OPENS")))"
            ),
            ("REQUEST", "the request of effect 'notify'", "unexpected symbol near '='"),
            ("KEY", "the idempotency key of effect 'notify'", "unexpected symbol near '..'"),
            ("INTERFACE", "interface 'peek'", "unexpected symbol near '}'"),
        ]
        #expect(lua.count == expected.count, "\(lua)")
        for (marker, body, message) in expected {
            let found = lua.first { $0.message.hasPrefix(body + ": Lua syntax error: ") }
            #expect(found?.line == (try line(marker)), "\(marker): \(String(describing: found))")
            #expect(found?.message.contains(message) == true, "\(marker): \(String(describing: found))")
            #expect(found?.file == path)
            // Never a chunk-relative position.
            #expect(found?.message.contains("\(body.split(separator: "'")[1]):") == false)
            #expect(human.contains("\(path):\(try line(marker)): error: \(body): Lua syntax error: "), "\(human)")
        }
    }

    static let staticMistakes = LuaDocuments.document(
        """
                <sl:computed name="double">
                    return attributes.count * 2
                </sl:computed>
                <sl:trigger name="bump">
                    <sl:on-attestation topic="meter/*" type="tick"/>
                    <sl:transition>
                        local function helper()
                            return {state = "nowhere", attributes = {ignored = 1}}
                        end
                        if event.data.big then
                            return {state = "gone"} -- STATE
                        end
                        local note = "attributes = {x = 1} in a string is not a table"
                        return {
                            state = "closed",
                            attributes = {
                                count = attributes.count + 1,
                                total = 3, -- ATTRIBUTE
                                ["double"] = 4, -- COMPUTED-WRITE
                            },
                            events = {{type = "bumped", data = {attributes = {unknown = 1}}}},
                            effects = {{name = "notfiy", input = {}}, {name = "notify"}}, -- EFFECT
                        }
                    </sl:transition>
                </sl:trigger>
                <sl:effect name="notify" method="POST" url="https://example.org/notify" timeout="PT5S"/>
        """)

    @Test(
        """
        a returned result naming an undeclared state, attribute or effect, or writing a computed attribute, is an \
        error at its line; nested functions, strings and event data are not read
        """
    )
    func staticChecks() throws {
        let directory = try TemporaryDirectory()
        let text = Self.staticMistakes
        let path = try LuaDocuments.write(text, to: directory.path)
        let (status, file, human) = try Self.report(path)
        #expect(status == 1)
        let lua = file.errors.filter { $0.kind == "lua" }
        func line(_ marker: String) -> Int? { LuaDocuments.line(of: marker, in: text) }
        let who = "the transition of trigger 'bump'"
        let expected: [(Int?, String)] = [
            (line("STATE"), "\(who) returns state 'gone', which no sl:state declares"),
            (line("ATTRIBUTE"), "\(who) writes attribute 'total', which no sl:attribute declares"),
            (
                line("COMPUTED-WRITE"),
                "\(who) writes attribute 'double', which is computed (sl:computed) and cannot be written"
            ),
            (line("EFFECT"), "\(who) requests effect 'notfiy', which no sl:effect declares"),
        ]
        #expect(lua.map(\.line) == expected.map(\.0), "\(lua)")
        #expect(lua.map(\.message) == expected.map(\.1))
        #expect(human.contains("\(path):\(line("EFFECT") ?? 0): error: \(who) requests effect 'notfiy'"))
    }

    @Test("documents without sl:server start no sandbox worker; the bundled TokenScripts have no Lua problem")
    func noWorkerWithoutServer() throws {
        let pool = LazySandboxPool()
        defer { pool.shutdown() }
        let options = TokenScriptReadOptions()
        for name in ["event-ticket-erc721.xml", "reward-token-erc20.xml"] {
            let report = Validate.validate(TestPaths.tokenScripts + "/" + name, options: options, lua: pool)
            #expect(report.valid)
        }
        #expect(!pool.started)
        let flight = Validate.validate(TestPaths.tokenScripts + "/flight-ticket.xml", options: options, lua: pool)
        #expect(pool.started)
        #expect(flight.valid && flight.errors.isEmpty && flight.warnings.isEmpty, "\(flight.errors)")
    }

    @Test("an owner name longer than Lua shows (59 bytes of the chunk name) still maps to its document line")
    func longOwnerName() throws {
        let name = "notify-passenger-about-the-rebooked-connecting-flight-and-hotel"
        let text = LuaDocuments.document(
            """
                    <sl:effect name="\(name)" method="POST" url="https://example.org/notify" timeout="PT5S">
                        <sl:request>
                            local body = {}
                            return {body = = 1} -- LONG
                        </sl:request>
                    </sl:effect>
            """)
        let directory = try TemporaryDirectory()
        let path = try LuaDocuments.write(text, to: directory.path)
        let (_, file, _) = try Self.report(path)
        let found = try #require(file.errors.first { $0.kind == "lua" }, "\(file.errors)")
        #expect(found.line == LuaDocuments.line(of: "-- LONG", in: text), "\(found)")
        #expect(!found.message.contains(":2:"), "\(found.message)")
    }

    @Test("Lua positions in messages become document positions: chunk lines, the engine's form, `at line N`")
    func messageLocation() throws {
        let server = try #require(
            TokenScriptReader.read(
                bytes: Array(LuaDocuments.failingTransition.utf8), file: "meter.xml", directory: "."
            ).tokenScript.server)
        let body = try #require(server.luaBodies.first { $0.chunkName == "trigger bump" })
        let lua = server.locatingLua(in: "trigger bump:3: attempt to index a nil value (local 'x')")
        #expect(
            lua.text(file: "meter.xml")
                == "meter.xml:\(body.source.line + 2): trigger bump: attempt to index a nil value (local 'x')")
        #expect(lua.first?.line == body.source.line + 2)
        #expect(lua.detail == "attempt to index a nil value (local 'x')")
        #expect(
            lua.text(file: nil)
                == "trigger bump (document line \(body.source.line + 2)): attempt to index a nil value (local 'x')")
        #expect(server.locatingLua(in: lua.text(file: nil)) == lua)
        let engine = server.locatingLua(in: "trigger bump (document line 57): boom")
        #expect(engine.text(file: "m.xml") == "m.xml:57: trigger bump: boom")
        let nested = server.locatingLua(in: "effect e: did not complete (error): trigger bump:1: x at line 2")
        #expect(
            nested.text(file: "m.xml")
                == "effect e: did not complete (error): m.xml:\(body.source.line): trigger bump: x at line "
                + "\(body.source.line + 1)")
        // A computed attribute's error inside a transition names the computed attribute's own line.
        let computed = try #require(
            TokenScriptReader.read(bytes: Array(Self.staticMistakes.utf8), file: "m.xml", directory: ".").tokenScript
                .server)
        let computedLine = try #require(LuaDocuments.line(of: "return attributes.count * 2", in: Self.staticMistakes))
        #expect(
            computed.locatingLua(in: "computed double:1: attempt to perform arithmetic").text(file: "m.xml")
                == "m.xml:\(computedLine): computed double: attempt to perform arithmetic")
        // Unknown chunk names and forged huge numbers stay readable.
        #expect(server.locatingLua(in: "trigger other:3: x").text(file: "m.xml") == "trigger other:3: x")
        #expect(server.locatingLua(in: "trigger bump:99999999999999999999999: x").first?.line == Int.max)
    }
}
