import Foundation
import TokenScriptModel
import TokenScriptSandbox

/// `validate`'s Lua checks of an `sl:server` extension: every Lua body compiled in a sandboxed worker (never run,
/// never in this process), its syntax errors reported at the document's line, then the static checks of
/// `LuaResultCheck` on the bodies that compile.
///
/// All the bodies of a document go to the worker in one execution. The worker pool is started on the first
/// document that has Lua and shared by the whole run; a run over documents without `sl:server` starts none.
enum ValidateLua {
    static func diagnostics(server: ServerExtension, file: String, pool: LazySandboxPool) -> [Diagnostic] {
        let bodies = server.luaBodies
        guard !bodies.isEmpty else { return [] }
        let problems: [Int: String]
        do {
            problems = try pool.get().compileBlocking(
                bodies.map { SandboxPool.CompileRequest(chunkName: $0.chunkName, source: $0.chunk) })
        } catch {
            return [
                Diagnostic(
                    .warning, .lua, "the Lua was not checked: \(error)",
                    at: server.location.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
                        ?? SourceLocation(file: file, line: 0, column: 0))
            ]
        }
        var diagnostics: [Diagnostic] = []
        for (index, body) in bodies.enumerated() {
            if let problem = problems[index] {
                let located = server.locatingLua(in: problem)
                diagnostics.append(
                    Diagnostic(
                        .error, .lua, "\(describe(body)): Lua syntax error: \(located.detail)",
                        at: SourceLocation(file: file, line: located.first?.line ?? body.source.line, column: 0)))
            } else if body.kind == .transition {
                for finding in LuaResultCheck.findings(transition: body.source, trigger: body.owner, server: server) {
                    diagnostics.append(
                        Diagnostic(
                            .error, .lua, finding.message,
                            at: SourceLocation(
                                file: file, line: body.source.documentLine(ofLuaLine: finding.luaLine), column: 0)))
                }
            }
        }
        return diagnostics.sorted { ($0.location?.line ?? 0) < ($1.location?.line ?? 0) }
    }

    /// Which body, in the words of the document: `the transition of trigger 'lounge-access'`.
    static func describe(_ body: LuaBody) -> String {
        switch body.kind {
        case .transition: "the transition of trigger '\(body.owner)'"
        case .computed: "computed attribute '\(body.owner)'"
        case .interface: "interface '\(body.owner)'"
        case .request: "the request of effect '\(body.owner)'"
        case .idempotencyKey: "the idempotency key of effect '\(body.owner)'"
        }
    }
}

/// One sandbox pool for a whole `validate` run, started when a document first needs it (so documents without
/// Lua never start a worker) and shut down by whoever made it.
final class LazySandboxPool: @unchecked Sendable {
    private let lock = NSLock()
    private var pool: SandboxPool?
    private var failure: String?
    private let size: Int

    init(size: Int = 2) { self.size = size }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    func get() throws -> SandboxPool {
        try lock.withLock {
            if let pool { return pool }
            if let failure { throw Unavailable(description: failure) }
            do {
                let started = try SandboxPool(configuration: .init(size: size))
                pool = started
                return started
            } catch {
                failure = "cannot start a sandbox worker: \(error)"
                throw Unavailable(description: failure!)
            }
        }
    }

    /// Whether a worker pool was started (tests check that documents without Lua start none).
    var started: Bool { lock.withLock { pool != nil } }

    func shutdown() { lock.withLock { pool?.shutdown() } }
}
