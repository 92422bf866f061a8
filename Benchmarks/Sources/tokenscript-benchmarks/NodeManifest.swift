import Foundation

/// The parts of the node's manifest (scripts/ethnode/README.md) the benchmark reads.
struct NodeManifest: Decodable, Sendable {
    struct Contract: Decodable, Sendable {
        var address: String
    }

    struct Token: Decodable, Sendable {
        var name: String
        var tokenId: String
        var eventId: Int
        var venue: String
        var categoryLabel: String
        var seat: Int
        var owner: String
        var isExpired: Bool
    }

    struct Ticket: Decodable, Sendable {
        var name: String
        var symbol: String
        var upgradeFee: String
        var balances: [String: Int]
        var tokens: [Token]
    }

    struct Expected: Decodable, Sendable {
        var ticket: Ticket?
        enum CodingKeys: String, CodingKey { case ticket = "Ticket" }
    }

    var rpcUrl: String
    var chainId: UInt64
    var pid: Int?
    var blockNumberAfterSetup: UInt64
    var contracts: [String: Contract]
    var expected: Expected?
    var versions: [String: String]?

    static func load(_ path: String) throws -> NodeManifest {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw BenchmarkError("cannot read the manifest \(path): \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(NodeManifest.self, from: data) } catch {
            throw BenchmarkError("the manifest \(path) is not the node's format 1: \(error)")
        }
    }
}
