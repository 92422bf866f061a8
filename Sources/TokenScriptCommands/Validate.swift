import ArgumentParser
import Dispatch
import Foundation
import TokenScriptDocument
import TokenScriptModel
import TokenScriptXML

/// `tokenscript validate`: reads every file, reports its namespace and every problem, and fails if any file has an
/// error.
package enum Validate {
    /// The flags of `tokenscript validate`, declared once: the command parses them, tests parse real command lines.
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "Files or directories to check.")
        package var paths: [String]

        @Flag(help: "Treat unknown elements, attributes and values as errors.")
        package var strict = false

        @Option(name: .customLong("xsd"), help: "Also validate against the XSD files found under this directory.")
        package var xsdDirectory: String?

        @Flag(help: "Print one JSON object instead of text.")
        package var json = false

        /// Print only problems in human output: invalid files and their errors (warnings stay in JSON).
        @Flag(name: .shortAndLong, help: "Print only invalid files and their errors: no warnings, no summary.")
        package var quiet = false

        @Option(name: .customLong("max-size"), help: "Refuse files larger than this many bytes.")
        package var maximumBytes: Int = XMLReadOptions().maximumDocumentBytes

        package init() {}
    }

    /// One file's outcome, as `--json` prints it.
    package struct FileReport: Codable, Sendable {
        package var file: String
        package var namespace: String?
        package var version: String?
        package var valid: Bool
        /// The XSD the file was checked against; absent without `--xsd` or when none matches its namespace.
        package var schema: String?
        package var errors: [DiagnosticReport]
        package var warnings: [DiagnosticReport]
    }

    package struct Summary: Codable, Sendable {
        package var files: Int
        package var valid: Int
        package var invalid: Int
        package var errors: Int
        package var warnings: Int
    }

    package struct Report: Codable, Sendable {
        package var files: [FileReport]
        package var summary: Summary
    }

    /// Runs the command; returns the process exit status (0 when every file is valid).
    package static func run(_ options: Options, console: Console) -> Int32 {
        var schemas: XMLSchemaSet?
        if let directory = options.xsdDirectory {
            do {
                schemas = try XMLSchemaSet(directory: directory)
            } catch {
                return console.report(CommandFailure(error.description, file: directory), json: options.json)
            }
            if schemas?.namespaces.isEmpty == true {
                return console.report(
                    CommandFailure("no TokenScript XSD (a schema defining element 'token') found", file: directory),
                    json: options.json)
            }
        }
        let (files, missing) = TokenScriptFiles.expand(options.paths)
        if let path = missing.first {
            // A path that is not there is a mistyped command line, not a document that failed: nothing is checked.
            return console.report(CommandFailure("no such file or directory", file: path), json: options.json)
        }
        if files.isEmpty {
            return console.report(
                CommandFailure("no .xml or .tsml files found in \(options.paths.joined(separator: ", "))"),
                json: options.json)
        }
        let readOptions = TokenScriptReadOptions(
            strict: options.strict, schemas: schemas, xml: XMLReadOptions(maximumDocumentBytes: options.maximumBytes))
        let lua = LazySandboxPool()
        defer { lua.shutdown() }
        let reports = validateAll(files, options: readOptions, lua: lua, console: console)
        for problem in schemas?.compilationProblems ?? [] {
            console.err("warning: \(problem) (another schema for the same namespace was used if one compiled)")
        }
        let summary = Summary(
            files: reports.count, valid: reports.filter(\.valid).count, invalid: reports.filter { !$0.valid }.count,
            errors: reports.reduce(0) { $0 + $1.errors.count }, warnings: reports.reduce(0) { $0 + $1.warnings.count })
        let status: CommandStatus = summary.invalid == 0 ? .success : .failed
        if options.json {
            console.out(JSONOutput.result(Report(files: reports, summary: summary), status: status))
        } else {
            for report in reports { printHuman(report, quiet: options.quiet, console: console) }
            let summaryLine =
                "\(summary.files) file\(summary.files == 1 ? "" : "s"): \(summary.valid) "
                + "valid, \(summary.invalid) invalid, \(summary.errors) error\(summary.errors == 1 ? "" : "s"), "
                + "\(summary.warnings) warning\(summary.warnings == 1 ? "" : "s")"
            if !options.quiet { console.out(summaryLine) }
        }
        return status.rawValue
    }

    /// Reads files on every core; results come back in input order.
    static func validateAll(
        _ files: [String], options: TokenScriptReadOptions, lua: LazySandboxPool, console: Console
    ) -> [FileReport] {
        let results = ResultSlots<FileReport>(count: files.count)
        let counter = ProgressCounter(total: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let report = validate(files[index], options: options, lua: lua)
            results.set(index, report)
            let finished = counter.increment()
            console.progress("[\(finished)/\(files.count)] \(files[index])")
        }
        console.endProgress()
        return results.values.map { $0! }
    }

    /// One file's report; `lua` compiles the Lua of an `sl:server` extension (`ValidateLua`).
    static func validate(_ file: String, options: TokenScriptReadOptions, lua: LazySandboxPool) -> FileReport {
        do {
            let loaded = try TokenScriptReader.read(file: file, options: options)
            let luaProblems = loaded.tokenScript.server.map {
                ValidateLua.diagnostics(server: $0, file: file, pool: lua)
            }
            var warnings = (loaded.warnings + (luaProblems ?? []).filter { $0.severity == .warning })
                .map(DiagnosticReport.init)
            if options.schemas != nil && loaded.schemaFile == nil {
                warnings.append(
                    DiagnosticReport(
                        Diagnostic(
                            .warning, .schema,
                            "no XSD for namespace \(loaded.tokenScript.namespace) "
                                + "was supplied; not checked against a schema",
                            at: SourceLocation(file: file, line: 0, column: 0))))
            }
            return FileReport(
                file: file, namespace: loaded.tokenScript.namespace, version: loaded.tokenScript.version.description,
                valid: !loaded.hasErrors && !(luaProblems ?? []).contains { $0.severity == .error },
                schema: loaded.schemaFile,
                errors: (loaded.errors + (luaProblems ?? []).filter { $0.severity == .error }).map(
                    DiagnosticReport.init),
                warnings: warnings)
        } catch {
            let diagnostics = error.diagnostics
            return FileReport(
                file: file, namespace: nil, version: nil, valid: false, schema: nil,
                errors: diagnostics.filter { $0.severity == .error }.map(DiagnosticReport.init),
                warnings: diagnostics.filter { $0.severity == .warning }.map(DiagnosticReport.init))
        }
    }

    private static func printHuman(_ report: FileReport, quiet: Bool, console: Console) {
        if quiet && report.valid { return }
        let status = report.valid ? "ok     " : "INVALID"
        let version = report.version.map { " [\($0)]" } ?? ""
        var counts: [String] = []
        if !report.errors.isEmpty {
            counts.append("\(report.errors.count) error\(report.errors.count == 1 ? "" : "s")")
        }
        if !report.warnings.isEmpty {
            counts.append("\(report.warnings.count) warning\(report.warnings.count == 1 ? "" : "s")")
        }
        console.out("\(status) \(report.file)\(version)\(counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))")")
        for diagnostic in report.errors { console.out("  \(diagnostic.text)") }
        if !quiet { for diagnostic in report.warnings { console.out("  \(diagnostic.text)") } }
    }
}

/// A diagnostic as JSON: flat fields a script can filter on.
package struct DiagnosticReport: Codable, Sendable, Hashable {
    package var severity: String
    package var kind: String
    package var message: String
    package var file: String?
    package var line: Int?
    package var column: Int?

    init(_ diagnostic: Diagnostic) {
        severity = diagnostic.severity.rawValue
        kind = diagnostic.kind.rawValue
        message = diagnostic.message
        file = diagnostic.location?.file
        line = diagnostic.location.flatMap { $0.line > 0 ? $0.line : nil }
        column = diagnostic.location.flatMap { $0.column > 0 ? $0.column : nil }
    }

    /// `file:line:column: severity: message`.
    var text: String {
        var place = file ?? ""
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place.isEmpty ? "" : place + ": ")\(severity): \(message)"
    }
}

/// Fixed slots that concurrent workers fill by index.
final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Value?]

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Value) {
        lock.withLock { storage[index] = value }
    }

    var values: [Value?] { lock.withLock { storage } }
}

final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    let total: Int

    init(total: Int) {
        self.total = total
    }

    func increment() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
