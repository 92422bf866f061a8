import Foundation
import Testing

/// The local Ethereum node of `scripts/ethnode/`, started once per test process and shared by all tests.
///
/// The first `shared()` builds `.venv` (`scripts/ensure-python-env`), starts `node.py` and waits for its
/// `READY` line; concurrent callers await that same start. The node is stopped with SIGTERM when the
/// process exits, and `--parent-pid` makes it exit by itself if the test runner dies without cleanup.
/// The node's state is the fixed setup of its manifest, so tests that only read can share it freely.
public final class EthereumTestNode: @unchecked Sendable {
    /// The whole manifest `node.py` wrote (see `scripts/ethnode/README.md`); immutable after start.
    public let manifest: [String: Any]
    public let rpcURL: URL
    public let chainID: UInt64
    public let pid: Int32
    /// Seconds from spawning the node to its `READY` line.
    public let startupSeconds: Double

    /// The node of this test process, started on first use.
    public static func shared() async throws -> EthereumTestNode {
        try await launch.value
    }

    /// Swift initialises a static once, even under concurrent first access: hence one node per process.
    private static let launch = Task<EthereumTestNode, any Error> {
        try await EthereumTestNodeLauncher.offCooperativePool { try EthereumTestNodeLauncher.start() }
    }

    init(manifest: [String: Any], startupSeconds: Double) throws {
        guard let urlText = manifest["rpcUrl"] as? String, let url = URL(string: urlText),
            let chainID = (manifest["chainId"] as? NSNumber)?.uint64Value,
            let pid = (manifest["pid"] as? NSNumber)?.int32Value
        else { throw EthereumTestNodeError("the node's manifest lacks rpcUrl, chainId or pid") }
        self.manifest = manifest
        self.rpcURL = url
        self.chainID = chainID
        self.pid = pid
        self.startupSeconds = startupSeconds
    }

    /// The deployed address (EIP-55) of a fixture contract: "Ticket", "Reward", "Membership".
    public func contractAddress(_ name: String) -> String? {
        ((manifest["contracts"] as? [String: Any])?[name] as? [String: Any])?["address"] as? String
    }

    /// The JSON ABI of a fixture contract, as the manifest holds it.
    public func contractABI(_ name: String) -> [Any]? {
        ((manifest["contracts"] as? [String: Any])?[name] as? [String: Any])?["abi"] as? [Any]
    }

    /// What the setup created for one contract (`expected.<name>`), every value checked by the node.
    public func expected(_ contract: String) -> [String: Any]? {
        (manifest["expected"] as? [String: Any])?[contract] as? [String: Any]
    }

    /// The funded accounts' addresses, account 0 first.
    public var accounts: [String] {
        ((manifest["accounts"] as? [[String: Any]]) ?? []).compactMap { $0["address"] as? String }
    }

    public var blockNumberAfterSetup: UInt64 { (manifest["blockNumberAfterSetup"] as? NSNumber)?.uint64Value ?? 0 }

    /// The JSON-RPC error code the node uses for reverts (-32000 unless started with another).
    public var revertErrorCode: Int { (manifest["revertErrorCode"] as? NSNumber)?.intValue ?? -32000 }

    /// The raw `eth_call` vectors: exact calldata and exact return bytes.
    public var calls: [CallVector] {
        ((manifest["calls"] as? [[String: Any]]) ?? []).compactMap(CallVector.init)
    }

    /// The calls the setup checked to revert, from every contract's `expected.<name>.reverts`.
    public var reverts: [RevertVector] {
        let contracts = (manifest["expected"] as? [String: Any]) ?? [:]
        return contracts.keys.sorted().flatMap { name in
            (((contracts[name] as? [String: Any])?["reverts"] as? [[String: Any]]) ?? []).compactMap(RevertVector.init)
        }
    }

    /// One `calls[]` entry of the manifest; hex strings as the node wrote them.
    public struct CallVector: Sendable, Hashable, CustomStringConvertible {
        public var contract: String
        public var signature: String
        public var data: String
        public var result: String

        init?(_ entry: [String: Any]) {
            guard let contract = entry["contract"] as? String, let signature = entry["signature"] as? String,
                let data = entry["data"] as? String, let result = entry["result"] as? String
            else { return nil }
            (self.contract, self.signature, self.data, self.result) = (contract, signature, data, result)
        }

        public var description: String { "\(contract).\(signature) \(data)" }
    }

    /// One `reverts[]` entry: the call, and the JSON-RPC error the node answers.
    public struct RevertVector: Sendable, Hashable, CustomStringConvertible {
        public var contract: String
        public var signature: String
        public var data: String
        public var errorCode: Int
        public var errorMessage: String
        public var errorData: String

        init?(_ entry: [String: Any]) {
            guard let contract = entry["contract"] as? String, let signature = entry["signature"] as? String,
                let data = entry["data"] as? String, let error = entry["error"] as? [String: Any],
                let code = (error["code"] as? NSNumber)?.intValue, let message = error["message"] as? String
            else { return nil }
            (self.contract, self.signature, self.data) = (contract, signature, data)
            (errorCode, errorMessage, errorData) = (code, message, (error["data"] as? String) ?? "0x")
        }

        public var description: String { "\(contract).\(signature) → \(errorMessage)" }
    }
}

/// Why the test node could not be started, with the command and what it printed.
public struct EthereumTestNodeError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension Trait where Self == ConditionTrait {
    /// `@Test(.needsEthereumNode)`: runs wherever a Python 3 can build `.venv`, and always under CI, where
    /// a node that cannot start is a failure and not a skip.
    public static var needsEthereumNode: Self {
        .enabled(
            if: TestPaths.isCI || EthereumTestNodeLauncher.pythonIsAvailable,
            "no python3 to build .venv for scripts/ethnode: skipped (under CI=true this test runs and fails)")
    }
}
