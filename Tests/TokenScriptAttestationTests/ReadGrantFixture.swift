import TokenScriptAttestation
import TokenScriptEthereum
import TokenScriptTesting

/// One grant, its holders under each scheme, and the read it is meant for.
enum ReadGrantFixture {
    static let issuedAt: UInt64 = 1_790_000_000
    static let expiresAt: UInt64 = 1_790_086_400
    static let holderEd25519 = TestKeys.ed25519(0x31)
    static let holderEthereum = TestKeys.ethereum(0x32)
    static let stranger = TestKeys.ethereum(0x33)

    static func unsigned(interfaces: [String] = ["flightStatus"]) -> ReadGrant {
        ReadGrant(
            grantee: "car-rental.example", instance: "ticket-LH2024-12A", interfaces: interfaces,
            issuedAt: issuedAt, expiresAt: expiresAt, holder: .ed25519(publicKey: []))
    }

    /// The grant signed under `scheme` by the matching holder key.
    static func signed(_ scheme: String, _ grant: ReadGrant = unsigned()) throws -> ReadGrant {
        switch scheme {
        case "ed25519": try holderEd25519.sign(grant)
        case "eip191": try holderEthereum.sign(grant, scheme: .eip191)
        default: try holderEthereum.sign(grant, scheme: .eip712)
        }
    }

    /// The holder the node would pass for `scheme`'s signer.
    static func holder(_ scheme: String) -> GrantHolder {
        scheme == "ed25519"
            ? GrantHolder(holderEd25519.issuer.key)! : .ethereum(holderEthereum.address)
    }

    static func request(
        _ scheme: String, interface: String = "flightStatus", instance: String = "ticket-LH2024-12A",
        grantee: String? = nil, now: UInt64 = issuedAt + 60
    ) -> ReadGrantRequest {
        ReadGrantRequest(
            instance: instance, interface: interface, currentHolder: holder(scheme), grantee: grantee, now: now)
    }

    static let schemes = ["ed25519", "eip191", "eip712"]
}
