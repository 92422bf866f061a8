import Foundation
import Testing
import TokenScriptDevnet
import TokenScriptTesting

#if canImport(Glibc)
    import Glibc
#endif

/// `tokenscript devnet` with service-node children, over real processes and HTTP on 127.0.0.1.
@Suite("tokenscript devnet as a process")
struct DevnetProcessTests {
    @Test("three node children start, the manifest's URLs answer /health, and SIGTERM stops every child")
    func startsNodesAndStopsThem() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/net"
        let devnet = try DevnetProcess(
            arguments: [
                "--data", data, "--manifest", directory.path + "/manifest.json", "--nodes", "3", "--no-anchor",
            ])
        let manifestPath = try await devnet.waitForReady()
        #expect(manifestPath == directory.path + "/manifest.json")
        let manifest = try DevnetManifest.read(manifestPath)
        #expect(manifest.anchors.isEmpty)
        #expect(manifest.serviceNodes.map(\.name) == ["node-1", "node-2", "node-3"])
        #expect(Set(manifest.serviceNodes.map(\.url)).count == 3)
        for node in manifest.serviceNodes {
            #expect(node.url.hasPrefix("http://127.0.0.1:"))
            let health = await TestHTTP.send("GET", node.url + "/health")
            #expect(health.status == 200)
            #expect(health.body.contains("\"name\":\"\(node.name)\""))
            // Each node runs with its own key, made in the data directory.
            #expect(health.body.contains("\"nodeKey\":"))
            #expect(FileManager.default.fileExists(atPath: data + "/keys/\(node.name).key"))
        }
        #expect(DevnetProcess.processes(naming: data).count == 4)

        _ = kill(devnet.devnetPID, SIGTERM)
        #expect(try await devnet.waitForExit() == 0)
        #expect(devnet.output.contains("Stopped by SIGTERM"))
        #expect(DevnetProcess.processes(naming: data) == [])
    }

    @Test("a child that cannot start is named with its standard error, exit 1, no manifest and no orphan")
    func childThatCannotStart() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/net"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        // node-2's data directory cannot be made: a file is in the way.
        FileManager.default.createFile(atPath: data + "/node-2", contents: Data("in the way".utf8))
        let devnet = try DevnetProcess(
            arguments: ["--data", data, "--nodes", "3", "--no-anchor"])
        #expect(try await devnet.waitForExit() == 1)
        #expect(devnet.errorOutput.contains("node-2: exited with status 2 before READY"))
        #expect(devnet.errorOutput.contains("data: cannot create \(data)/node-2"))
        #expect(!devnet.output.contains("DEVNET READY"))
        #expect(!FileManager.default.fileExists(atPath: data + "/manifest.json"))
        #expect(DevnetProcess.processes(naming: data) == [])
    }

    @Test("a child that dies while the devnet runs is reported, the others are stopped, exit 1")
    func childThatDies() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/net"
        let devnet = try DevnetProcess(
            arguments: ["--data", data, "--nodes", "2", "--no-anchor"])
        _ = try await devnet.waitForReady()
        let victim = try #require(devnet.pid(of: "node-2"))
        _ = kill(victim, SIGKILL)
        #expect(try await devnet.waitForExit() == 1)
        #expect(devnet.errorOutput.contains("node-2: exited with status 137 while the devnet ran"))
        #expect(DevnetProcess.processes(naming: data) == [])
    }

    @Test("a devnet killed with SIGKILL cannot stop its children, so they stop themselves")
    func childrenOutliveNoKilledDevnet() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/net"
        let devnet = try DevnetProcess(
            arguments: ["--data", data, "--nodes", "1", "--no-anchor"])
        _ = try await devnet.waitForReady()
        #expect(DevnetProcess.processes(naming: data).count == 2)
        _ = kill(devnet.devnetPID, SIGKILL)
        let deadline = Date().addingTimeInterval(30)
        while !DevnetProcess.processes(naming: data).isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(DevnetProcess.processes(naming: data) == [])
    }

    @Test(
        """
        devnet --demo --once plays the story across an anchor and three nodes, exit 0: the flight ticket; the smart \
        car following its tokens, grounded after the insurance's executor was killed and replaced; a slow node \
        relieved of its instances
        """
    )
    func demoStory() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/net"
        let devnet = try DevnetProcess(arguments: ["--data", data, "--demo", "--once"])
        let status = try await devnet.waitForExit(seconds: 600)
        #expect(status == 0, "\(devnet.output.suffix(4000))\n\(devnet.errorOutput.suffix(2000))")
        for line in [
            "ticket-1 is hosted by every node", "is lounge", "is rebooked", "car-rental.example reads ticket-3",
            "ticket-4: 3 hosts at state hash",
            "every host of car-1 shows insuranceState issued, maintenanceState due, registrationState registered",
            "car-1 is roadworthy", "the devnet kills it (SIGKILL)", "the car is grounded", "is back and catches up",
            "its burn rate pages: weight 0", "is fast again",
        ] {
            #expect(devnet.output.contains(line), "missing \"\(line)\" in \(devnet.output.suffix(3000))")
        }
        #expect(DevnetProcess.processes(naming: data) == [])
    }

    @Test(
        """
        devnet --demo --once --anchors 2 --store postgres://… (scripts/cluster-demo): two anchors share one \
        PostgreSQL, three nodes; the executor killed mid-booking, one booking; an anchor killed, the other goes on; \
        a slow node relieved
        """
    )
    func clusterDemoStory() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/net"
        let store = try await ThrowawayPostgres.freshStoreURL(connections: 8)
        let devnet = try DevnetProcess(
            arguments: ["--data", data, "--demo", "--once", "--anchors", "2", "--store", store])
        let status = try await devnet.waitForExit(seconds: 600)
        #expect(status == 0, "\(devnet.output.suffix(4000))\n\(devnet.errorOutput.suffix(2000))")
        for line in [
            "2 anchoring nodes share one PostgreSQL store: anchor-1, anchor-2",
            "each service node keeps its journals and instances in a schema of its own in the same database",
            "the hotel holds a booking call: the devnet kills ticket-1's executor",
            "rebooked", "the devnet kills the anchoring node anchor-1 (SIGKILL)",
            "is back and catches up from the log", ": 3 hosts at state hash", "booking H-1",
            "its burn rate pages: weight 0", "The story played as expected.",
        ] {
            #expect(devnet.output.contains(line), "missing \"\(line)\" in \(devnet.output.suffix(3000))")
        }
        #expect(!devnet.output.contains("booking H-2"), "a second booking: \(devnet.output.suffix(3000))")
        #expect(DevnetProcess.processes(naming: data) == [])
    }

    @Test("bad flags are refused naming the flag, exit 2, and nothing is created")
    func badFlags() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.path + "/net"
        for (arguments, message) in [
            (["--nodes", "0"], "--nodes: 0 is out of range (1…9)"),
            (["--once"], "--once: only with --demo"),
            (["--anchors", "2"], "--anchors 2: several anchors share one store; give --store postgres://…"),
            (["--anchors", "4", "--store", "postgres://u@h/d"], "--anchors: 4 is out of range (1…3)"),
            (["--store", "mysql://u@h/d"], "--store: invalid PostgreSQL URL: scheme"),
            ([directory.path + "/missing.xml"], "missing.xml: no such readable file"),
        ] {
            let outcome = try await Subprocess.run(
                TestPaths.executable("tokenscript"), ["devnet", "--data", data, "--no-anchor"] + arguments)
            #expect(outcome.status == 2)
            #expect(outcome.standardError.contains(message))
            #expect(!FileManager.default.fileExists(atPath: data))
        }
    }
}
