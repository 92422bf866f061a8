import Foundation
import Testing
import TokenScriptChildProcess

#if canImport(Glibc)
    import Glibc
#endif

@Suite("ChildProcess")
struct ChildProcessTests {
    /// The child's open descriptors, as /proc lists them.
    static func descriptors(of pid: pid_t) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).sorted()
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)-\(name)").path
    }

    /// What each descriptor of `pid` is open on (`pipe:[inode]`, a path …), as /proc links name it.
    static func targets(of pid: pid_t) -> Set<String> {
        Set(
            descriptors(of: pid).compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")
            })
    }

    @Test("a child holds none of our descriptors but its three, even those without close-on-exec")
    func noInheritedDescriptors() throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { ends.forEach { close($0) } }
        let ours = Self.targets(of: getpid())
        let pipe = try #require(
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(ends[1])"))
        #expect(pipe.hasPrefix("pipe:"))
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
        // Compared by what they are open on, not by number: the program may open a file of its own at start.
        let inherited = Self.targets(of: child.pid).intersection(ours).subtracting(Self.standardStreams(of: getpid()))
        #expect(inherited.isEmpty, "the child holds \(inherited)")
        #expect(!Self.targets(of: child.pid).contains(pipe))
        child.send(SIGKILL)
        #expect(child.waitUntilExit() == 128 + SIGKILL)
    }

    /// What this process's descriptors 0, 1 and 2 are open on (a child given `/dev/null` may share a target).
    static func standardStreams(of pid: pid_t) -> Set<String> {
        Set(
            (0...2).compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)")
            } + ["/dev/null"])
    }

    @Test("exit statuses, signals as 128 + N, output to a file, and the environment added to ours")
    func statusesAndOutput() async throws {
        let output = Self.temporaryPath("out")
        defer { try? FileManager.default.removeItem(atPath: output) }
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "echo \"$CHILD_TEST_VALUE $HOME\"; pwd; exit 3"],
            environment: ["CHILD_TEST_VALUE": "seen"], standardOutput: .file(output), directory: "/tmp")
        #expect(try await child.waitForExit(seconds: 30) == 3)
        #expect(!child.isRunning)
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        #expect((try? String(contentsOfFile: output, encoding: .utf8)) == "seen \(home)\n/tmp\n")

        let alone = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "echo \"[$HOME]\""], environment: ["PATH": "/usr/bin:/bin"],
            inheritsEnvironment: false, standardOutput: .file(output))
        #expect(alone.waitUntilExit() == 0)
        #expect((try? String(contentsOfFile: output, encoding: .utf8)) == "[]\n")

        let sleeper = try ChildProcess(executable: "/bin/sleep", arguments: ["30"])
        #expect(try await sleeper.waitForExit(seconds: 0.1) == nil)
        #expect(sleeper.exitStatus == nil)
        sleeper.send(SIGTERM)
        #expect(try await sleeper.waitForExit(seconds: 30) == 128 + SIGTERM)
        sleeper.send(SIGKILL)  // reaped already: nothing is sent, nothing changes
        #expect(sleeper.exitStatus == 128 + SIGTERM)
    }

    @Test("the end of each short child is seen while long ones started at the same moment live on")
    func endsSeenAmongConcurrentSpawns() async throws {
        // Foundation's Process missed such ends: a long child spawned at the same moment inherited the socket it
        // learns of a child's end from.
        let long = try await withThrowingTaskGroup(of: ChildProcess.self) { group in
            for _ in 0..<16 { group.addTask { try ChildProcess(executable: "/bin/sleep", arguments: ["60"]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let short = try await withThrowingTaskGroup(of: ChildProcess.self) { group in
            for _ in 0..<16 { group.addTask { try ChildProcess(executable: "/bin/true", arguments: []) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for child in short { #expect(try await child.waitForExit(seconds: 30) == 0) }
        #expect(long.allSatisfy { $0.isRunning })
        for child in long { child.send(SIGKILL) }
        for child in long { #expect(child.waitUntilExit() == 128 + SIGKILL) }
    }

    @Test("a process group of its own: a signal to the group reaches what the child started")
    func processGroup() async throws {
        let pidFile = Self.temporaryPath("pid")
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let shell = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "sleep 60 & echo $! > \(pidFile); wait"], newProcessGroup: true)
        let deadline = Date().addingTimeInterval(30)
        var grandchild: pid_t?
        while grandchild == nil, Date() < deadline {
            grandchild = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap {
                pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let sleeper = try #require(grandchild)
        #expect(getpgid(sleeper) == shell.pid)
        shell.sendToGroup(SIGKILL)
        #expect(try await shell.waitForExit(seconds: 30) == 128 + SIGKILL)
        // The grandchild is init's to reap now; it is gone or a zombie.
        var gone = false
        while !gone, Date() < deadline {
            let state = (try? String(contentsOfFile: "/proc/\(sleeper)/stat", encoding: .utf8))?
                .split(separator: ")").last?.split(separator: " ").first
            gone = state == nil || state == "Z"
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone)
    }

    @Test("a missing executable is an error naming it; dropping a running child kills and reaps it")
    func errorsAndDrop() throws {
        #expect {
            _ = try ChildProcess(executable: "/nonexistent/program", arguments: [])
        } throws: { error in
            "\(error)".contains("/nonexistent/program") && "\(error)".contains("No such file")
        }
        var child: ChildProcess? = try ChildProcess(executable: "/bin/sleep", arguments: ["60"])
        let pid = try #require(child?.pid)
        child = nil
        #expect(kill(pid, 0) != 0)  // killed and reaped: no such process, not even a zombie of ours
    }
}
