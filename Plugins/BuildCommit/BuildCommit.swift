import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift` (`let buildCommit = "<short hash>[-dirty]"`) before every build of the target that
/// uses it, so `tokenscript --version` names the commit it was built from, never a stale one.
///
/// A prebuild command, because only those run on every build; it runs `/bin/sh` (prebuild commands cannot run
/// tools built from source) and rewrites the file only when the commit changed, so an unchanged checkout
/// recompiles nothing. Outside a git checkout (a source archive) the commit is `unknown`.
@main
struct BuildCommit: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = """
            set -e
            PATH="/usr/bin:/bin:/usr/local/bin:$PATH"
            mkdir -p "$2"
            commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && [ -n "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ]
            then commit="$commit-dirty"; fi
            printf '// Written at build time by the BuildCommit plugin.\\nlet buildCommit = "%s"\\n' "$commit" \
              > "$2/BuildCommit.swift.new"
            if cmp -s "$2/BuildCommit.swift.new" "$2/BuildCommit.swift"; then rm "$2/BuildCommit.swift.new"
            else mv "$2/BuildCommit.swift.new" "$2/BuildCommit.swift"; fi
            """
        return [
            .prebuildCommand(
                displayName: "Recording the commit of \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
                outputFilesDirectory: output)
        ]
    }
}
