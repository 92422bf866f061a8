import Testing
import Foundation

@testable import TokenScriptRuntime
@testable import TokenScriptSandbox

/// One row of a hostile-input catalogue and the outcomes this sandbox is allowed to give it.
struct HostileCase: Sendable, CustomTestStringConvertible {
    var id: String
    var source: String
    /// Allowed classifications, "status" or "status/limit" (e.g. "limit/instructions").
    var allowed: Set<String>
    /// Substring the message or value must contain (nil: not checked).
    var mentions: String?

    var testDescription: String { id }

    static func classify(_ r: SandboxResult) -> String {
        r.limit.map { "\(r.status.rawValue)/\($0.rawValue)" } ?? r.status.rawValue
    }
}

/// The outcomes of `../shared/hostile/lua/cases.tsv` (expected_outcome column), as this design gives
/// them: budget trips end the worker ("limit/instructions"); C library work is charged to the same
/// budget, so the pattern bomb H34, which stock Lua leaves to the wall clock, ends at the instruction
/// limit; H46's 31 MiB of string building and H42's emergency collections near the memory limit
/// (each charged by the live heap) may spend the instructions before the memory runs out; the
/// Debian luaV_concat use-after-free (H61) crashes a worker and nothing else.
/// A Lua row of the TSV without an entry here fails the test, so new rows get classified.
enum HostileCatalogue {
    static let expectations: [String: (Set<String>, String?)] = [
        "H01": (["error"], "execute"), "H02": (["error"], "io"), "H03": (["error"], "require"),
        "H05": (["error"], "dofile"), "H06": (["error"], "debug"), "H07": (["error"], "debug"),
        "H08": (["error"], "dump"), "H09": (["ok"], "binary chunk"), "H10": (["ok"], "binary chunk"),
        "H12": (["error"], "only 'count'"), "H14": (["ok"], "patched"), "H14b": (["ok"], "xx"),
        "H15": (["error"], nil), "H17": (["ok", "error"], nil), "H18": (["error"], "exit"),
        "H19": (["error"], "getenv"), "H20": (["error"], "remove"), "H22": (["limit/output"], "output limit"),
        "H23": (["limit/instructions"], nil), "H24": (["limit/instructions"], nil),
        "H25": (["limit/instructions"], nil),
        "H25b": (["limit/instructions"], nil), "H26b": (["limit/instructions"], nil),
        "H26": (["limit/instructions"], nil),
        "H28": (["error"], "__gc"), "H29": (["limit/instructions"], nil), "H30": (["error", "limit/memory"], nil),
        "H32": (["error", "limit/memory"], nil), "H34": (["limit/instructions"], nil),
        "H36": (["limit/instructions", "limit/time"], nil), "H39": (["limit/memory"], nil),
        "H40": (["error"], "too large"), "H41": (["limit/memory"], nil),
        "H42": (["limit/memory", "limit/instructions", "limit/time"], nil),
        "H44": (["limit/memory"], nil), "H46": (["limit/memory", "limit/instructions"], nil),
        "H49": (["ok", "error"], nil),
        "H52": (["ok"], "-9223372036854775808 0"), "H53": (["error"], nil),
        "H55": (["error"], "(error object is a nil value)"), "H56": (["limit/instructions"], nil),
        "H60": (["ok"], "nil"), "H61": (["crashed"], nil), "H65": (["ok"], nil),
    ]

    /// Limits for catalogue runs: smaller than the defaults so the suite stays quick.
    static let limits = SandboxLimits(memoryBytes: 32 << 20, instructions: 10_000_000, timeoutSeconds: 1.5)

    /// Lua rows (`LUA:` snippets) of cases.tsv; DESC, N and P rows are covered elsewhere or are prose.
    static func load() -> [HostileCase] {
        let url = SandboxTestSupport.sharedDirectory.appendingPathComponent("hostile/lua/cases.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3, columns[2].hasPrefix("LUA: ") else { return nil }
            let expectation = expectations[columns[0]]
            return HostileCase(
                id: columns[0], source: String(columns[2].dropFirst(5)), allowed: expectation?.0 ?? [],
                mentions: expectation?.1)
        }
    }

    /// Own cases in Fixtures/hostile-lua/*.lua; the first line says `-- expect: CLASS[|CLASS] [mentions TEXT]`.
    static func loadFixtures() -> [HostileCase] {
        let dir = SandboxTestSupport.packageRoot.appendingPathComponent("Fixtures/hostile-lua")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".lua") }.sorted().compactMap { name in
            guard let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8),
                let first = text.split(separator: "\n").first, first.hasPrefix("-- expect: ")
            else { return HostileCase(id: name, source: "", allowed: [], mentions: nil) }
            let spec = first.dropFirst("-- expect: ".count)
            let parts = spec.components(separatedBy: " mentions ")
            return HostileCase(
                id: name, source: text, allowed: Set(parts[0].split(separator: "|").map(String.init)),
                mentions: parts.count > 1 ? parts[1] : nil)
        }
    }
}
