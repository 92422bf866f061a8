import Foundation
import Logging
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptDemo
import TokenScriptDevnet

/// `devnet --demo`: the demo hotel on 127.0.0.1 before the nodes start (their flight ticket's `hotelApi` points
/// at it), then the flight ticket's story over the node API once the manifest is written.
struct DevnetDemo {
    /// What the demo loads when no TokenScript is given: the flight ticket, and the smart car with its three tokens.
    static let defaultTokenScripts = [
        "TokenScripts/flight-ticket.xml", "TokenScripts/smart-car.xml", "TokenScripts/car-registration.xml",
        "TokenScripts/car-insurance.xml", "TokenScripts/car-maintenance.xml",
    ]
    /// Every rebooking's first four calls (the attempt and three retries) hang past the effect's PT10S timeout,
    /// so the anchoring node's routed call is the one that books.
    static let hotelFault = DemoHotel.FaultPlan(fault: .timeout(seconds: 11), calls: 4)

    let hotel: DemoHotel
    let server: DemoServer

    static func start() async throws -> DevnetDemo {
        let hotel = DemoHotel()
        await hotel.inject(hotelFault, forKey: nil)
        var logger = Logger(label: "tokenscript.devnet.hotel") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        let server = try await DemoServer.start(DemoHotelRouter.router(hotel), name: "demo-hotel", logger: logger)
        return DevnetDemo(hotel: hotel, server: server)
    }

    /// What the nodes and the anchor are told so effects may call the demo hotel over plain HTTP on loopback.
    static let egressFlags = ["--allow-egress", "127.0.0.1", "--allow-http"]
    /// What the demo's nodes are told besides: the slow node's chapter slows one down (`POST /v1/faults`).
    static let nodeFlags = ["--fault-injection"]

    /// RFC 8032's first test key: the anchoring node the flight ticket trusts (`sl:issuer name="anchor"`), as the
    /// airline is the published demo key. The demo's anchor signs with it so its routed outcomes are trusted.
    static let anchorSeed: [UInt8] = Array(
        Hex.decode("0x9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60") ?? [])

    /// Writes the demo anchor's key file (once) and returns its path.
    static func anchorKey(_ layout: DevnetLayout) throws -> String {
        let path = layout.keys + "/demo-anchor.key"
        if !FileManager.default.fileExists(atPath: path) {
            try KeyFile(scheme: "ed25519", seed: anchorSeed).create(at: path)
        }
        return path
    }

    /// A copy of each TokenScript in `DIR/demo/` whose `ts:env` `hotelApi` is the demo hotel's URL, so the flight
    /// ticket's `rebookHotel` calls it; other files are used as given.
    func pointScriptsAtHotel(_ scripts: [String], layout: DevnetLayout) throws -> [String] {
        let directory = layout.data + "/demo"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try scripts.map { path in
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let pattern = #"<ts:env name="hotelApi">[^<]*</ts:env>"#
            guard let range = text.range(of: pattern, options: .regularExpression) else { return path }
            let copy = directory + "/" + URL(fileURLWithPath: path).lastPathComponent
            try text.replacingCharacters(in: range, with: "<ts:env name=\"hotelApi\">\(server.url)</ts:env>")
                .write(toFile: copy, atomically: true, encoding: .utf8)
            return copy
        }
    }

    /// Plays the story, narrating on standard output with the seconds since it began; returns what did not happen.
    func play(_ manifest: DevnetManifest, supervisor: DevnetSupervisor, console: Console) async -> [String] {
        let start = Date()
        let narrate: @Sendable (String) -> Void = { line in
            console.out(String(format: "[%6.1fs] ", Date().timeIntervalSince(start)) + line)
        }
        narrate("demo hotel API: \(server.url) (GET /stats); airline: the published demo key")
        if let anchor = manifest.anchors.first {
            narrate("the anchor's status page: \(anchor.url)/ (nodes, service levels, executors and epochs)")
        }
        let story: DemoStory
        do {
            var random = SystemRandomNumberGenerator()
            let seed = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
            let departure = UInt64(Date().timeIntervalSince1970 / 60) * 60 + 6 * 3_600
            story = DemoStory(
                nodes: manifest.serviceNodes.map { .init(name: $0.name, url: $0.url) }, hotel: hotel,
                airline: try DemoAirline.published(), holder: try Ed25519AttestationSigner(seed: seed),
                departure: departure, sharedLog: !manifest.anchors.isEmpty, devnet: Self.control(supervisor),
                narrate: narrate)
        } catch {
            return ["cannot prepare the story: \(error)"]
        }
        if manifest.anchors.count > 1 {
            let anchors = manifest.anchors.map { DemoStory.Node(name: $0.name, url: $0.url) }
            return await DemoClusterStory(story: story, anchors: anchors).play()
        }
        return await story.play()
    }

    /// The supervisor's kill and start, as the story asks for them.
    static func control(_ supervisor: DevnetSupervisor) -> DemoDevnetControl {
        DemoDevnetControl(
            kill: { node in
                do { try await supervisor.kill(node) } catch { return "\(error)" }
                return nil
            },
            startAgain: { node, url in
                do { try await supervisor.startAgain(node, url: url) } catch { return "\(error)" }
                return nil
            })
    }

    func printTryLines(_ manifest: DevnetManifest, console: Console) {
        guard let node = manifest.serviceNodes.first else { return }
        if let anchor = manifest.anchors.first { console.out("Status page: \(anchor.url)/") }
        console.out("Try the API:")
        console.out("  curl -s \(node.url)/v1/scripts")
        console.out("  curl -s \(node.url)/v1/instances")
        console.out("  curl -s \(server.url)/stats")
    }

    func stop() async { await server.stop() }
}
