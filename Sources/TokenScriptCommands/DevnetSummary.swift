import TokenScriptDevnet

/// What the devnet prints once every child is ready: who runs where, with which PID, and where the files are.
/// The last line, `DEVNET READY <manifest>`, is for scripts that wait for it.
enum DevnetSummary {
    static func print(
        _ manifest: DevnetManifest, layout: DevnetLayout, manifestPath: String, children: [DevnetChild],
        anchorSkipped: Bool, console: Console
    ) {
        let pids = Dictionary(children.map { ($0.spec.name, $0.pid) }, uniquingKeysWith: { first, _ in first })
        console.out("Devnet on 127.0.0.1 (data \(layout.data)):")
        for entry in manifest.anchors {
            console.out("  anchor        \(entry.name)  \(entry.url)  pid \(pids[entry.name] ?? 0)")
        }
        for entry in manifest.serviceNodes {
            console.out("  service node  \(entry.name)  \(entry.url)  pid \(pids[entry.name] ?? 0)")
        }
        if anchorSkipped { console.out("  (no anchoring node: this build has no `tokenscript anchor`)") }
        console.out("Logs: \(layout.logs)/NAME.out, NAME.err. Stop with Ctrl-C or SIGTERM.")
        if let first = manifest.serviceNodes.first {
            console.out("Try: curl \(first.url)/health")
        }
        console.out("DEVNET READY \(manifestPath)")
    }
}
