import Foundation
import Logging
import TokenScriptAttestation
import TokenScriptCommands
import TokenScriptNode
import TokenScriptSandbox
import TokenScriptTesting
import TokenScriptEngine
import TokenScriptEffects
import TokenScriptSQLite
import Testing

/// What the hosting tests share: the flight ticket, its sample airline statuses (signed with the published
/// test key), the traveller who holds the ticket and signs read grants, and one sandbox pool.
enum HostingFixture {
    static let pool: SandboxPool = {
        do { return try SandboxPool(configuration: .init(size: 2)) } catch {
            fatalError("cannot start sandbox pool: \(error)")
        }
    }()

    static let scriptPath = TestPaths.tokenScripts + "/flight-ticket.xml"
    static let node = TestKeys.ed25519(0x41)
    static let nodeSeed = TestKeys.seed(0x41)
    static let holder = TestKeys.ed25519(0x31)
    static let stranger = TestKeys.ed25519(0x32)
    /// After the sample statuses were issued (1790000000…1790010800).
    static let now: UInt64 = 1_790_011_000

    /// The sample statuses: scheduled, a 40-minute delay, a 400-minute delay.
    static func statuses() throws -> [String] {
        let text = try String(
            contentsOfFile: TestPaths.tokenScripts + "/flight-ticket.tests/sample-statuses.jsonl", encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    /// A read grant of the holder for `interfaces` of `instance`, signed by `signer`.
    static func grant(
        _ instance: String, interfaces: [String] = ["*"], by signer: Ed25519AttestationSigner = holder,
        issuedAt: UInt64 = now - 60, expiresAt: UInt64 = now + 3600
    ) throws -> String {
        let grant = ReadGrant(
            grantee: "car-rental.example", instance: instance, interfaces: interfaces, issuedAt: issuedAt,
            expiresAt: expiresAt, holder: signer.issuer)
        return try signer.sign(grant).json
    }

    static func createBody(id: String, holder: String = holder.issuer.key) -> String {
        "{\"script\":\"flight-ticket\",\"id\":\"\(id)\",\"attributes\":{\"flight\":\"LH2024\"},"
            + "\"holder\":\"\(holder)\"}"
    }

    static let logger = Logger(label: "tokenscript.node.test")
}

extension HostingFixture {
    /// Waits until `host` has applied `instance` up to `position`, polling for up to a minute: the apply loop
    /// runs on its own task, and under a loaded machine (the whole suite in parallel) it can take seconds, so the
    /// short `atLeast` wait of the API is for integrators, not for tests.
    static func settle(_ host: InstanceHost, _ instance: String, at position: UInt64) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while (await host.view(of: instance)?.position ?? 0) < position {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(instance) did not reach position \(position) within a minute")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension HostingFixture {
    /// A single node hosting the flight ticket over `store` (its own log and lease table, so it elects itself),
    /// refusing every effect call.
    static func host(
        store: SQLiteStore, clock: ManualClock, name: String = "n1", positionWait: Duration = .seconds(2),
        lifecycle: InstanceLifecyclePolicy = InstanceLifecyclePolicy()
    ) throws -> InstanceHost {
        try InstanceHost(
            scripts: try NodeScripts.load([scriptPath], nodeKey: node.issuer.key), store: SQLiteNodeStore(store),
            log: SQLiteAttestationLog(store: store), election: SQLiteLeaseAuthority(store: store), nodeName: name,
            signerSeed: nodeSeed, runtime: pool, effectTransport: RefusingEffectTransport(), clock: clock,
            logger: logger, positionWait: positionWait, lifecyclePolicy: lifecycle)
    }
}
