import TokenScriptEngine
import TokenScriptSimulation

extension ReplayJournal {
    /// `--initial FILE`: the start instance of a `dry-run --initial` run, read and checked as the dry run read
    /// it, so its journal (whose header holds only the start's hash) replays from the same instance.
    static func startingInstance(
        _ path: String, definition: TokenDefinition
    ) throws -> @Sendable (String) -> TokenInstance {
        guard let initial = try DryRun.initialInstance(path) else { return definition.newInstance(id:) }
        do {
            _ = try initial.applied(to: definition.newInstance(id: "check"), server: definition.server, path: "")
        } catch {
            throw ReplayInputError("--initial \(path): \(error.description)")
        }
        return { id in
            (try? initial.applied(to: definition.newInstance(id: id), server: definition.server, path: ""))
                ?? definition.newInstance(id: id)
        }
    }
}
