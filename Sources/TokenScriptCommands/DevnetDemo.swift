import Foundation
import Logging
import TokenScriptAttestation
import TokenScriptDemo
import TokenScriptDevnet

/// `devnet --demo`: the demo hotel on 127.0.0.1 before the nodes start (their flight ticket's `hotelApi` points
/// at it), then the flight ticket's story over the node API once the manifest is written.
struct DevnetDemo {
    /// The flight ticket the demo loads when no TokenScript is given.
    static let defaultTokenScript = "TokenScripts/flight-ticket.xml"
    /// Every rebooking's first four calls (the attempt and three retries) hang past the effect's PT10S timeout,
    /// so the anchoring node's routed call is the one that books.
    static let hotelFault = DemoHotel.FaultPlan(fault: .timeout(seconds: 11), calls: 4)

    let hotel: DemoHotel
    let server: DemoServer

    static func start() async throws -> DevnetDemo {
        let hotel = DemoHotel()
        await hotel.inject(hotelFault, forKey: nil)
        let logger = Logger(label: "tokenscript.devnet.hotel") { StreamLogHandler.standardError(label: $0) }
        let server = try await DemoServer.start(DemoHotelRouter.router(hotel), name: "demo-hotel", logger: logger)
        return DevnetDemo(hotel: hotel, server: server)
    }

    /// What each node is told so the flight ticket calls the demo hotel over plain HTTP on loopback.
    var nodeFlags: [String] {
        ["--env", "hotelApi=\(server.url)", "--allow-egress", "127.0.0.1", "--allow-http"]
    }

    /// Plays the story, narrating on standard output with the seconds since it began; returns what did not happen.
    func play(_ manifest: DevnetManifest, console: Console) async -> [String] {
        let start = Date()
        let narrate: @Sendable (String) -> Void = { line in
            console.out(String(format: "[%6.1fs] ", Date().timeIntervalSince(start)) + line)
        }
        narrate("demo hotel API: \(server.url) (GET /stats); airline: the published demo key")
        let story: DemoStory
        do {
            var random = SystemRandomNumberGenerator()
            let seed = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
            let departure = UInt64(Date().timeIntervalSince1970 / 60) * 60 + 6 * 3_600
            story = DemoStory(
                nodes: manifest.serviceNodes.map { .init(name: $0.name, url: $0.url) }, hotel: hotel,
                airline: try DemoAirline.published(), holder: try Ed25519AttestationSigner(seed: seed),
                departure: departure, narrate: narrate)
        } catch {
            return ["cannot prepare the story: \(error)"]
        }
        return await story.play()
    }

    func printTryLines(_ manifest: DevnetManifest, console: Console) {
        guard let node = manifest.serviceNodes.first else { return }
        console.out("Try the API:")
        console.out("  curl -s \(node.url)/v1/scripts")
        console.out("  curl -s \(node.url)/v1/instances")
        console.out("  curl -s \(server.url)/stats")
    }

    func stop() async { await server.stop() }
}
