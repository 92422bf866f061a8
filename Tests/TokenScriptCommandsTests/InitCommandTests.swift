import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript init`: a new project validates and passes its test unchanged, its README's dry run works with
/// its keys, and bad names or occupied directories are refused with nothing written.
@Suite("init")
struct InitCommandTests {
    /// Runs `init` with `arguments`; the status and the console.
    static func initProject(_ arguments: [String]) async throws -> (Int32, Console) {
        let console = Console.capture()
        return (await Init.run(try Init.Options.parse(arguments), console: console), console)
    }

    /// The files under `directory`, relative, sorted.
    static func listing(_ directory: String) -> [String] {
        (FileManager.default.subpaths(atPath: directory) ?? []).sorted()
    }

    @Test("init, then validate (strict) and test pass on the new project unchanged")
    func initValidateTest() async throws {
        let scratch = try TemporaryDirectory()
        let project = scratch.path + "/car-insurance"
        let (status, console) = try await Self.initProject([project])
        #expect(status == 0, "\(console.output)\(console.errorOutput)")
        #expect(console.errorOutput.isEmpty)
        #expect(
            Self.listing(project) == [
                "README.md", "car-insurance.tests", "car-insurance.tests/activate.golden.json",
                "car-insurance.tests/activate.scenario.json", "car-insurance.xml", "issuer.key", "node.key",
            ])
        #expect(console.output.contains("tokenscript test \(project)/car-insurance.tests"))

        let validation = Console.capture()
        let validated = await Validate.run(
            try Validate.Options.parse([project, "--strict", "--json"]), console: validation)
        #expect(validated == 0, "\(validation.output)\(validation.errorOutput)")
        #expect(!validation.output.contains("\"warning\""), "\(validation.output)")

        let testing = Console.capture()
        let tested = await ScenarioTest.run(
            try ScenarioTest.Options.parse([project + "/car-insurance.tests"]), console: testing)
        #expect(tested == 0, "\(testing.output)\(testing.errorOutput)")
        #expect(testing.output.contains("PASS activate"), "\(testing.output)")

        // The document trusts issuer.key itself: the scenario signs with that key, so nothing is substituted.
        let key = try KeyFile.read(project + "/issuer.key")
        let document = try String(contentsOfFile: project + "/car-insurance.xml", encoding: .utf8)
        #expect(document.contains("key=\"\(key.issuerKey)\""))
        #expect(document.contains("name=\"car-insurance\""))
        let scenario = try String(
            contentsOfFile: project + "/car-insurance.tests/activate.scenario.json", encoding: .utf8)
        #expect(scenario.contains("\"issuer\": \"\(key.privateKey)\""))
        let mode = try FileManager.default.attributesOfItem(atPath: project + "/issuer.key")[.posixPermissions]
        #expect((mode as? Int).map { $0 & 0o077 } == 0)
    }

    @Test("the new README's first dry run works: attest sign with issuer.key, then dry-run the document")
    func readmeDryRun() async throws {
        let scratch = try TemporaryDirectory()
        let project = scratch.path + "/pass"
        let (status, console) = try await Self.initProject([project, "--name", "Pass", "--json"])
        #expect(status == 0, "\(console.output)\(console.errorOutput)")
        let created = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(created["status"] as? String == "ok" && created["name"] as? String == "Pass")
        #expect((created["files"] as? [String])?.contains(project + "/Pass.tests/activate.golden.json") == true)
        let readme = try String(contentsOfFile: project + "/README.md", encoding: .utf8)
        #expect(readme.contains("tokenscript test Pass.tests --update"))
        #expect(readme.contains("tokenscript dry-run Pass.xml --attestations inputs.jsonl --now 1790000100"))

        var lines = ""
        for (type, payload, issuedAt) in [
            ("activate", #"{"level": 3}"#, "1790000000"), ("level", #"{"level": 5}"#, "1790000060"),
        ] {
            let signing = Console.capture()
            let options = try AttestSign.Options.parse([
                "--key", project + "/issuer.key", "--topic", "status/demo", "--type", type, "--payload", payload,
                "--issued-at", issuedAt,
            ])
            #expect(await AttestSign.run(options, console: signing) == 0, "\(signing.errorOutput)")
            lines += signing.output
        }
        let inputs = project + "/inputs.jsonl"
        try lines.write(toFile: inputs, atomically: false, encoding: .utf8)
        let dryRun = Console.capture()
        let options = try DryRun.Options.parse([
            project + "/Pass.xml", "--attestations", inputs, "--now", "1790000100", "--json",
        ])
        #expect(await DryRun.run(options, console: dryRun) == 0, "\(dryRun.output)\(dryRun.errorOutput)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(dryRun.output.utf8)) as? [String: Any])
        let steps = try #require(report["steps"] as? [[String: Any]], "\(dryRun.output)")
        #expect(steps.compactMap { $0["trigger"] as? String } == ["activate", "notified", "level-changed"])
        #expect((report["final"] as? [String: Any])?["state"] as? String == "active", "\(dryRun.output)")
    }

    @Test("the default name is the directory's name made an XML name")
    func defaultNames() {
        #expect(InitProjectName.sanitised("car-insurance") == "car-insurance")
        #expect(InitProjectName.sanitised("My Car Insurance!") == "My-Car-Insurance")
        #expect(InitProjectName.sanitised("2025 policy") == "token-2025-policy")
        #expect(InitProjectName.sanitised("été") == "t")
        #expect(InitProjectName.sanitised("...") == "token")
        #expect(InitProjectName.sanitised("") == "token")
        for name in ["car-insurance", "My-Car-Insurance", "token-2025-policy", "token"] {
            #expect(InitProjectName.isValid(name))
        }
    }

    @Test(
        "a bad --name is refused (exit 2) and nothing is written",
        arguments: ["2fast", "-dash", ".dot", "has space", "a/b", "ünï", String(repeating: "a", count: 65)])
    func badName(name: String) async throws {
        let scratch = try TemporaryDirectory()
        let project = scratch.path + "/project"
        let (status, console) = try await Self.initProject([project, "--name=\(name)"])
        #expect(status == 2)
        #expect(console.output.isEmpty)
        #expect(console.errorOutput.contains("error: --name: \""), "\(console.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: project))
    }

    @Test("a directory that is not empty is refused (exit 2) and left as it was")
    func nonEmptyDirectory() async throws {
        let scratch = try TemporaryDirectory()
        try "keep me".write(toFile: scratch.path + "/notes.txt", atomically: false, encoding: .utf8)
        let (status, console) = try await Self.initProject([scratch.path, "--json"])
        #expect(status == 2)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        #expect(error["status"] as? String == "error")
        let message = try #require((error["error"] as? [String: Any])?["message"] as? String)
        #expect(message.contains("not empty") && message.contains("never overwrites"), "\(message)")
        #expect(Self.listing(scratch.path) == ["notes.txt"])
        #expect(try String(contentsOfFile: scratch.path + "/notes.txt", encoding: .utf8) == "keep me")

        let file = scratch.path + "/notes.txt"
        let (fileStatus, fileConsole) = try await Self.initProject([file])
        #expect(fileStatus == 2)
        #expect(fileConsole.errorOutput.contains("is not a directory"), "\(fileConsole.errorOutput)")
    }

    @Test("an existing empty directory is used")
    func emptyDirectory() async throws {
        let scratch = try TemporaryDirectory()
        let (status, console) = try await Self.initProject([scratch.path, "--name", "Empty"])
        #expect(status == 0, "\(console.output)\(console.errorOutput)")
        #expect(Self.listing(scratch.path).contains("Empty.tests/activate.golden.json"))
    }

    @Test("the executable's command lines: init 0 (ok), init of a non-empty directory 2 (error), also with --json")
    func exitStatusRows() async throws {
        let scratch = try TemporaryDirectory()
        let created = try await ExitStatusTableTests.run(["init", scratch.path + "/first", "--json"])
        #expect(created.status == CommandStatus.success.rawValue, "\(created.console.output)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(created.console.output.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "ok" && object["name"] as? String == "first")
        for json in [false, true] {
            let refused = try await ExitStatusTableTests.run(
                ["init", scratch.path + "/first"] + (json ? ["--json"] : []))
            #expect(refused.status == CommandStatus.usage.rawValue)
            if json {
                let error = try #require(
                    try JSONSerialization.jsonObject(with: Data(refused.console.output.utf8)) as? [String: Any])
                #expect(error["status"] as? String == "error")
                #expect((error["error"] as? [String: Any])?["file"] as? String == scratch.path + "/first")
            } else {
                #expect(refused.console.output.isEmpty)
                #expect(refused.console.errorOutput.contains("not empty"), "\(refused.console.errorOutput)")
            }
        }
        let node = scratch.path + "/first/node.key"
        let tick = try await ExitStatusTableTests.run(["attest", "sign", "--key", node, "--schedule", "expire"])
        #expect(tick.status == CommandStatus.success.rawValue, "\(tick.console.errorOutput)")
        let mixed = try await ExitStatusTableTests.run([
            "attest", "sign", "--key", node, "--schedule", "expire", "--type", "schedule",
        ])
        #expect(mixed.status == CommandStatus.usage.rawValue && mixed.console.output.isEmpty)
    }
}

/// The new project's README runs as written: every `tokenscript` line of its code blocks, from the project
/// directory (relative paths resolved there, `>`/`>>` appending to a file there), ends with exit status 0.
@Suite("init: the new README's commands")
struct InitReadmeCommandTests {
    /// The shell words of `line`: split at spaces, single quotes kept together (all the README uses).
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var inWord = false
        for character in line {
            if character == "'" {
                quoted.toggle()
                inWord = true
            } else if character == " ", !quoted {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// A word naming a file of the project: `.` or a name with one of the project's suffixes.
    static func isPath(_ word: String) -> Bool {
        word == "." || [".xml", ".tests", ".key", ".jsonl"].contains { word.hasSuffix($0) }
    }

    @Test("every tokenscript line of the new README's code blocks exits 0 when run in the project")
    func readmeCommands() async throws {
        let scratch = try TemporaryDirectory()
        let project = scratch.path + "/club-pass"
        let (status, console) = try await InitCommandTests.initProject([project])
        #expect(status == 0, "\(console.output)\(console.errorOutput)")
        let readme = try String(contentsOfFile: project + "/README.md", encoding: .utf8)
        var inBlock = false
        var lines: [String] = []
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock.toggle()
            } else if inBlock, line.hasPrefix("tokenscript ") {
                lines.append(String(line))
            }
        }
        #expect(lines.count == 12, "\(lines)")
        for line in lines {
            var words = Self.words(line).dropFirst().map { Self.isPath($0) ? project + "/" + $0 : $0 }
            var redirect: (path: String, append: Bool)?
            if let index = words.firstIndex(where: { $0 == ">" || $0 == ">>" }) {
                redirect = (words[index + 1], words[index] == ">>")
                words.removeSubrange(index...)
            }
            let (lineStatus, lineConsole) = try await ExitStatusTableTests.run(words)
            #expect(lineStatus == 0, "\(line)\n\(lineConsole.output)\(lineConsole.errorOutput)")
            if let redirect {
                let before = redirect.append ? (try? String(contentsOfFile: redirect.path, encoding: .utf8)) ?? "" : ""
                try (before + lineConsole.output).write(toFile: redirect.path, atomically: false, encoding: .utf8)
            }
        }
        #expect(
            (try String(contentsOfFile: project + "/inputs.jsonl", encoding: .utf8)).split(separator: "\n").count == 3)
    }
}
