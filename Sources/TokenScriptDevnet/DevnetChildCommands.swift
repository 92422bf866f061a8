/// The command lines of the devnet's children, in one place: what `tokenscript anchor` and `tokenscript node`
/// are asked to do. Flags the children may not have yet (`--script`, `--anchor`) are passed only when there is
/// something to pass.
public enum DevnetChildCommands {
    /// `tokenscript anchor`, on a free loopback port, its store under `data`; `extra` flags last (the demo's).
    public static func anchor(name: String, data: String, key: String, extra: [String] = []) -> [String] {
        ["anchor", "--listen", "127.0.0.1:0", "--data", data, "--name", name, "--key", key] + extra
    }

    /// `tokenscript node`, on a free loopback port, its store under `data`, loading `scripts`, talking to
    /// `anchorURL` when there is an anchoring node; `extra` flags last (the demo's).
    public static func node(
        name: String, data: String, key: String, scripts: [String], anchorURL: String?, extra: [String] = []
    ) -> [String] {
        var arguments = ["node", "--listen", "127.0.0.1:0", "--data", data, "--name", name, "--key", key]
        for script in scripts { arguments += ["--script", script] }
        if let anchorURL { arguments += ["--anchor", anchorURL] }
        return arguments + extra
    }
}
