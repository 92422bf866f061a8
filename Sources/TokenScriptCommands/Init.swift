import ArgumentParser
import Foundation
import TokenScriptModel
import TokenScriptSandbox
import TokenScriptSimulation

/// `tokenscript init DIR [--name NAME] [--json]`: a new token project that validates and passes its test at once.
///
/// Writes `NAME.xml` (2024/01 with `sl:server`), `NAME.tests/` with a scenario, a `README.md` saying what to edit
/// next, and two test keys: `issuer.key`, which the document's `sl:issuer` trusts and the scenario signs with, and
/// `node.key` for the hosting node's schedules and attribute changes. The golden snapshot is recorded by running
/// the scenario here, so it always matches the runner that will compare it. An existing file is never replaced:
/// DIR must be new or empty.
package enum Init {
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "The project directory: created, or an existing empty one.")
        package var directory: String

        @Option(help: "The token's name (an XML name); default the directory's name made one.")
        package var name: String?

        @Flag(help: "Print one JSON object: the name and the files written.")
        package var json = false

        package init() {}
    }

    /// What `--json` prints on success.
    struct Created: Encodable {
        var directory: String
        var name: String
        var files: [String]
        var issuerKey: String
        var nodeKey: String
    }

    /// Exit status 0 with a new project; 2 on a bad name, a directory that is not new or empty (nothing is
    /// written) or no sandbox worker; 1 when the new project's scenario does not pass (the files are removed).
    package static func run(_ options: Options, console: Console) async -> Int32 {
        let name: String
        if let given = options.name {
            guard InitProjectName.isValid(given) else {
                let failure = CommandFailure(
                    "\"\(given)\" is not a usable XML name (ASCII letters, digits, -, _ and ., starting with a letter "
                        + "or _, at most \(InitProjectName.maximumLength) characters)", field: "--name")
                return console.report(failure, json: options.json)
            }
            name = given
        } else {
            let component = URL(fileURLWithPath: options.directory).standardizedFileURL.lastPathComponent
            name = InitProjectName.sanitised(component)
        }
        var project = InitProject(directory: options.directory, name: name)
        do {
            try project.checkDirectory()
        } catch {
            return console.report(CommandFailure(error.message, file: error.path), json: options.json)
        }
        var random = SystemRandomNumberGenerator()
        let issuer: KeyFile
        let node: KeyFile
        do {
            issuer = try KeyFile.generate(scheme: "ed25519", using: &random)
            node = try KeyFile.generate(scheme: "ed25519", using: &random)
            try project.write(issuer: issuer, node: node)
        } catch let problem as InitProject.Problem {
            project.removeCreated()
            return console.report(CommandFailure(problem.message, file: problem.path), json: options.json)
        } catch {
            project.removeCreated()
            return console.report(CommandFailure("\(error)"), json: options.json)
        }
        if let problem = await project.recordGolden() {
            project.removeCreated()
            guard problem.status == .failed else {
                return console.report(CommandFailure(problem.message), json: options.json)
            }
            // The generated project itself does not pass: what init checks failed, not how it was called.
            if options.json {
                console.out(JSONOutput.result(["message": problem.message], status: .failed))
            } else {
                console.err("error: \(problem.message)")
            }
            return CommandStatus.failed.rawValue
        }
        if options.json {
            let created = Created(
                directory: options.directory, name: name, files: project.files, issuerKey: issuer.issuerKey,
                nodeKey: node.issuerKey)
            console.out(JSONOutput.result(created, status: .success))
        } else {
            console.out("Created the token \(name) in \(options.directory):")
            for file in project.files { console.out("  \(file)") }
            console.out("Next (README.md there says what to edit):")
            console.out("  tokenscript validate \(shellWord(options.directory))")
            console.out("  tokenscript test \(shellWord(project.path(name + ".tests")))")
        }
        return 0
    }

    /// `path` as one shell word: single-quoted unless it consists of characters no shell treats specially.
    static func shellWord(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/._-+:,@%=".unicodeScalars.contains($0))
        }
        return plain && !path.isEmpty ? path : "'" + path.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}

/// The files of one new project and their writing; remembers what it created so a failure leaves nothing behind.
struct InitProject {
    let directory: String
    let name: String
    /// Paths written, in order (the files the user sees).
    private(set) var files: [String] = []
    /// Everything created, directories included, to remove in reverse order on failure.
    private var created: [String] = []

    /// What went wrong, and at which path.
    struct Problem: Error, CustomStringConvertible {
        var path: String
        var message: String

        var description: String { "\(path): \(message)" }
    }

    init(directory: String, name: String) {
        self.directory = directory
        self.name = name
    }

    func path(_ relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }

    var scenarioFile: String { path("\(name).tests/activate\(ScenarioTest.scenarioSuffix)") }

    /// DIR must not exist (it is created) or be an empty directory.
    func checkDirectory() throws(Problem) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw Problem(path: directory, message: "exists and is not a directory (init never overwrites)")
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw Problem(path: directory, message: "cannot read: \(error.localizedDescription)")
        }
        guard entries.isEmpty else {
            throw Problem(
                path: directory,
                message: "not empty (\(entries.count) entries); init never overwrites: choose a new or empty directory")
        }
    }

    /// Writes the document, the scenario, the README and the two key files (mode 0600).
    mutating func write(issuer: KeyFile, node: KeyFile) throws {
        if !FileManager.default.fileExists(atPath: directory) {
            try makeDirectory(directory)
        }
        try makeDirectory(path("\(name).tests"))
        try writeText(
            path("\(name).xml"),
            InitTemplates.fill(InitTemplates.document, ["NAME": name, "ISSUER_KEY": issuer.issuerKey]))
        try writeText(
            scenarioFile, InitTemplates.fill(InitTemplates.scenario, ["NAME": name, "ISSUER_SEED": issuer.privateKey]))
        try writeText(path("README.md"), InitTemplates.fill(InitReadmeTemplate.text, ["NAME": name]))
        for (file, key) in [("issuer.key", issuer), ("node.key", node)] {
            let keyPath = path(file)
            do { try key.create(at: keyPath) } catch {
                throw Problem(
                    path: keyPath, message: error.description.replacingOccurrences(of: "--out \(keyPath): ", with: ""))
            }
            files.append(keyPath)
            created.append(keyPath)
        }
    }

    /// Runs the scenario once, recording its golden snapshot. Nil when it passes; else why, with the exit status:
    /// 1 when the scenario fails, 2 when no sandbox worker could start (the shared rule's unusable environment).
    mutating func recordGolden() async -> (message: String, status: CommandStatus)? {
        let pool: SandboxPool
        do { pool = try SandboxPool(configuration: .init(size: 1)) } catch {
            return ("cannot start a sandbox worker to record the golden snapshot: \(error)", .usage)
        }
        defer { pool.shutdown() }
        var scripts: [String: Result<TokenScript, ScenarioRunner.Failure>] = [:]
        let outcome = await ScenarioTest.runOne(scenarioFile, update: true, pool: pool, scripts: &scripts)
        let golden = ScenarioTest.golden(for: scenarioFile)
        if FileManager.default.fileExists(atPath: golden) {
            files.insert(golden, at: files.firstIndex(of: scenarioFile).map { $0 + 1 } ?? files.endIndex)
            created.append(golden)
        }
        guard outcome.status == "recorded" else {
            let details = ([outcome.message].compactMap { $0 } + outcome.failures).joined(separator: "; ")
            return ("the new project's scenario does not pass: \(details)", .failed)
        }
        return nil
    }

    /// Removes what this project created, newest first.
    mutating func removeCreated() {
        for path in created.reversed() { try? FileManager.default.removeItem(atPath: path) }
        created = []
        files = []
    }

    /// Creates `path` and any missing parents, recording each one it made so a failed init removes them too.
    private mutating func makeDirectory(_ path: String) throws {
        var missing: [String] = []
        var ancestor = (path as NSString).standardizingPath
        while !ancestor.isEmpty, ancestor != "/", !FileManager.default.fileExists(atPath: ancestor) {
            missing.append(ancestor)
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Problem(path: path, message: "cannot create: \(error.localizedDescription)")
        }
        created += missing.reversed()
    }

    private mutating func writeText(_ path: String, _ text: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw Problem(path: path, message: "cannot write: \(error.localizedDescription)")
        }
        files.append(path)
        created.append(path)
    }
}

struct InitCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a token project: a TokenScript with server logic, a passing scenario, a README, test keys.",
        discussion: """
            Writes DIR/NAME.xml, DIR/NAME.tests/ (a scenario and its golden snapshot), DIR/README.md, and the test \
            keys DIR/issuer.key and DIR/node.key. DIR must be new or empty: nothing is ever overwritten.
            Exit status: 0 with the new project; 1 when its own scenario fails (nothing is left behind); 2 on a bad
            name, a directory that is not new or empty, or no sandbox worker to record the scenario with.
            """
    )

    @OptionGroup var options: Init.Options

    static var library: (Init.Options, Console) async -> Int32 { Init.run }
}
