import ArgumentParser
import Foundation
import TokenScriptJSON
import TokenScriptRuntime
import TokenScriptSandbox

/// `tokenscript sandbox run`: runs one Lua file in the sandboxed worker pool and prints its outcome.
/// Whatever the script does (loops, floods, crashes its worker), the command prints one answer and exits.
package struct SandboxCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run Lua in the TokenScript sandbox (a seccomp-confined worker process).",
        subcommands: [SandboxRunCommand.self]
    )

    package init() {}
}

struct SandboxRunCommand: LibraryCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua file and report its status, result and log.",
        discussion: """
            --json prints exactly one object: status ("ok", "failed", or "error" for bad usage), outcome ("ok",
            "error", "limit", "crashed"), limit ("memory", "instructions", "time", "output" or null), message,
            result and log.
            Exit status: 0 when the script returned, 1 when it failed (error, limit, crashed), 2 on bad usage
            (unreadable file, bad --input, a limit out of range).
            """
    )

    @OptionGroup var options: SandboxRun.Options

    static var library: (SandboxRun.Options, Console) async -> Int32 { SandboxRun.run }
}

/// The command's core, callable in-process by tests.
package enum SandboxRun {
    /// The flags of `tokenscript sandbox run`, declared once: the command parses them, tests parse real command
    /// lines. The limits and the mode are read from them (`limits`, `mode`).
    package struct Options: ParsableArguments, Sendable {
        @Argument(help: "The Lua file.")
        package var file: String

        @Option(help: "Input as JSON; the script reads it with host.input().")
        package var input: String?

        @Option(help: "Lua heap limit in bytes.")
        package var memoryLimit: Int = SandboxLimits().memoryBytes

        @Option(help: "Instruction budget.")
        package var instructionLimit: UInt64 = SandboxLimits().instructions

        @Option(help: "Wall-clock limit in seconds.")
        package var timeout: Double = SandboxLimits().timeoutSeconds

        @Flag(help: "Byte-identical output for the same inputs (seeded random, canonical pairs order, logical time).")
        package var deterministic = false

        @Option(help: "Seed for math.random in deterministic mode.")
        package var seed: UInt64 = 0

        @Option(help: "Logical time (Unix seconds) for os.time/os.date in deterministic mode.")
        package var logicalTime: Int64 = 0

        @Flag(help: "Print one JSON object.")
        package var json = false

        package init() {}

        /// The limits the flags ask for (checked when the script runs: one out of range is bad usage, exit status 2).
        package var limits: SandboxLimits {
            SandboxLimits(memoryBytes: memoryLimit, instructions: instructionLimit, timeoutSeconds: timeout)
        }

        /// Deterministic (seeded, logical time) with `--deterministic`, else nondeterministic.
        package var mode: SandboxMode {
            deterministic ? .deterministic(seed: seed, logicalTime: logicalTime) : .nondeterministic
        }
    }

    /// Runs the file and prints the outcome; returns the exit status (`CommandStatus`: 0 ok, 1 the script failed,
    /// 2 bad usage).
    package static func run(_ options: Options, console: Console) -> Int32 {
        let result: SandboxResult
        do { result = try execute(options) } catch { return console.report(error, json: options.json) }
        let status: CommandStatus = result.status == .ok ? .success : .failed
        if options.json {
            console.out(JSONOutput.text(report(result, status: status)))
        } else {
            for line in result.log { console.out(line) }
            switch result.status {
            case .ok: console.out((result.value ?? .null).jsonText)
            case .error: console.err("error: \(result.message ?? "")")
            case .limit: console.err("limit (\(result.limit?.rawValue ?? "?")): \(result.message ?? "")")
            case .crashed: console.err("crashed: \(result.message ?? "")")
            }
        }
        return status.rawValue
    }

    /// The `--json` object: the one `status`, the sandbox's own `outcome`, and what the script left.
    static func report(_ result: SandboxResult, status: CommandStatus) -> JSONValue {
        .object([
            "status": .string(status.jsonStatus),
            "outcome": .string(result.status.rawValue),
            "limit": result.limit.map { .string($0.rawValue) } ?? .null,
            "message": result.message.map { .string($0) } ?? .null,
            "result": (result.value ?? .null).json,
            "log": .array(result.log.map { .string($0) }),
        ])
    }

    /// The first limit out of range, named by its flag (`--timeout: inf is out of range (0.001…86400.0)`).
    static func limitProblem(_ limits: SandboxLimits) -> String? {
        do {
            _ = try limits.validated()
            return nil
        } catch {
            let flags = [
                "memoryBytes": "--memory-limit", "instructions": "--instruction-limit", "timeoutSeconds": "--timeout",
            ]
            var named = error
            named.field = flags[error.field] ?? error.field
            return named.description
        }
    }

    /// The outcome as a value; a usage problem (a limit out of range, an unreadable file, bad `--input`) throws.
    package static func execute(_ options: Options) throws(CommandFailure) -> SandboxResult {
        if let problem = limitProblem(options.limits) { throw CommandFailure(problem) }
        let data: [UInt8]
        do { data = try InputFile.bytes(options.file) } catch {
            throw CommandFailure("cannot read \(error.description)")
        }
        var input = SandboxValue.null
        if let text = options.input {
            do { input = try SandboxValue.parseJSON(text) } catch {
                throw CommandFailure("--input is not valid JSON: \(error)", field: "--input")
            }
        }
        let pool: SandboxPool
        do {
            pool = try SandboxPool(
                configuration: .init(size: 1, maxMemoryBytes: max(options.limits.memoryBytes, 64 << 20)))
        } catch {
            throw CommandFailure("cannot start a sandbox worker: \(error)")
        }
        defer { pool.shutdown() }
        return pool.runBlocking(
            SandboxExecution(
                source: String(decoding: data, as: UTF8.self), input: input, limits: options.limits, mode: options.mode)
        )
    }
}
