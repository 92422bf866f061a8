import Foundation
import Testing
import TokenScriptDevnet
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// The supervisor's failure paths with plain children (`/bin/sh`), in process: the deadline, a child that ends
/// before READY, and the cleanup that leaves no child behind.
@Suite("the devnet supervisor")
struct DevnetSupervisorTests {
    static func supervisor(_ directory: TemporaryDirectory, startSeconds: Double = 5) -> DevnetSupervisor {
        DevnetSupervisor(
            settings: .init(
                executable: "/bin/sh", logs: directory.path + "/logs", startSeconds: startSeconds, graceSeconds: 2),
            signals: DevnetSignals([]))
    }

    @Test("a child without READY by the deadline is named, and every started child is stopped")
    func deadline() async throws {
        let directory = try TemporaryDirectory()
        let supervisor = Self.supervisor(directory, startSeconds: 0.5)
        let ready = DevnetChildSpec(
            name: "quick", role: .serviceNode,
            arguments: ["-c", "echo READY http://127.0.0.1:1; exec sleep 300"])
        // Far longer than the deadline: a loaded test run may wake the supervisor late, never the child early.
        let slow = DevnetChildSpec(name: "slow", role: .serviceNode, arguments: ["-c", "exec sleep 300"])
        await #expect {
            _ = try await supervisor.start(anchor: nil) { _ in [ready, slow] }
        } throws: { error in
            "\(error)".hasPrefix("slow: no READY line within 0.5 s (nothing on its standard error")
        }
        #expect(supervisor.children.count == 2)
        #expect(supervisor.children.allSatisfy { !$0.isRunning })
        // Gone from the process table, not merely signalled.
        #expect(supervisor.children.allSatisfy { kill($0.pid, 0) != 0 })
    }

    @Test("a child that ends before READY is named with its exit status and the end of its standard error")
    func endsBeforeReady() async throws {
        let directory = try TemporaryDirectory()
        let supervisor = Self.supervisor(directory)
        let anchor = DevnetChildSpec(
            name: "anchor", role: .anchor, arguments: ["-c", "echo 'listen: port in use' >&2; exit 3"])
        var asked = false
        await #expect {
            _ = try await supervisor.start(anchor: anchor) { _ in
                asked = true
                return []
            }
        } throws: { error in
            "\(error)" == "anchor: exited with status 3 before READY; the end of its standard error ("
                + directory.path + "/logs/anchor.err):\n  | listen: port in use"
        }
        // No node starts without its anchor.
        #expect(!asked)
    }

    @Test("the anchor's URL reaches the nodes' command lines, and the manifest lists every child")
    func anchorURLReachesNodes() async throws {
        let directory = try TemporaryDirectory()
        let supervisor = Self.supervisor(directory)
        let anchor = DevnetChildSpec(
            name: "anchor", role: .anchor, arguments: ["-c", "echo READY http://127.0.0.1:7000; exec sleep 30"])
        let manifest = try await supervisor.start(anchor: anchor) { anchorURL in
            [
                DevnetChildSpec(
                    name: "node-1", role: .serviceNode,
                    arguments: ["-c", "echo READY \(anchorURL ?? "none")1; exec sleep 30"])
            ]
        }
        #expect(
            manifest
                == DevnetManifest(
                    anchors: [.init(name: "anchor", url: "http://127.0.0.1:7000")],
                    serviceNodes: [.init(name: "node-1", url: "http://127.0.0.1:70001")]))
        let path = directory.path + "/manifest.json"
        try manifest.write(to: path)
        #expect(try DevnetManifest.read(path) == manifest)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["logs", "manifest.json"])
        #expect(await supervisor.stopAll() == [])
        #expect(supervisor.children.allSatisfy { !$0.isRunning })
    }

    @Test("a child that ignores SIGTERM is killed after the grace period and named")
    func stubbornChild() async throws {
        let directory = try TemporaryDirectory()
        let supervisor = Self.supervisor(directory)
        let stubborn = DevnetChildSpec(
            name: "stubborn", role: .serviceNode,
            arguments: ["-c", "trap '' TERM; echo READY http://127.0.0.1:9; while :; do sleep 0.1; done"])
        _ = try await supervisor.start(anchor: nil) { _ in [stubborn] }
        #expect(await supervisor.stopAll() == ["stubborn"])
        #expect(supervisor.children.allSatisfy { !$0.isRunning })
    }

    @Test(
        """
        a killed child is not a failure of the devnet, keeps its logs, and starts again with its arguments on the \
        port of its URL
        """
    )
    func killAndStartAgain() async throws {
        let directory = try TemporaryDirectory()
        let supervisor = Self.supervisor(directory)
        // Prints the listen argument it was given as its READY line: what startAgain passes shows in the URL.
        let spec = DevnetChildSpec(
            name: "n1", role: .serviceNode,
            arguments: ["-c", "echo \"READY http://$0\"; echo started >&2; exec sleep 300", "127.0.0.1:0"])
        let manifest = try await supervisor.start(anchor: nil) { _ in [spec] }
        #expect(manifest.serviceNodes.first?.url == "http://127.0.0.1:0")
        let first = try #require(supervisor.children.first)
        let watching = Task { await supervisor.watch() }

        try await supervisor.kill("n1")
        #expect(!first.isRunning)
        #expect(supervisor.children.isEmpty)
        let kept = try String(contentsOfFile: directory.path + "/logs/n1.killed.err", encoding: .utf8)
        #expect(kept == "started\n")
        try await Task.sleep(for: .milliseconds(300))
        try await supervisor.startAgain("n1", url: "http://127.0.0.1:4711")
        let second = try #require(supervisor.children.first)
        #expect(second.isRunning)
        #expect(second.spec.arguments.last == "127.0.0.1:4711")
        #expect(try second.readiness() == "http://127.0.0.1:4711")
        await #expect(throws: DevnetError.self) { try await supervisor.startAgain("n1", url: "http://127.0.0.1:1") }
        await #expect(throws: DevnetError.self) { try await supervisor.kill("nobody") }

        // The watch saw no failure in all this; a child that dies on its own is one.
        second.send(SIGKILL)
        guard case .childEnded(let error) = await watching.value else {
            Issue.record("the watch ended otherwise")
            return
        }
        #expect("\(error)".hasPrefix("n1: exited with status"))
        await supervisor.stopAll()
    }
}
