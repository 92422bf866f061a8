import Foundation
import TokenScriptEvaluation

/// Which RPC endpoint serves which chain, from `--chain ID=URL` options, and the clients for them.
///
/// Clients are created on first use and then shared by every copy of the configuration, one per
/// endpoint URL, so that all attributes evaluated on a chain reuse the same keep-alive connections.
public struct ChainConfiguration: Sendable {
    public private(set) var endpoints: [UInt64: URL]
    public let options: JSONRPCClientOptions
    private let clients = ClientCache()

    public init(endpoints: [UInt64: URL] = [:], options: JSONRPCClientOptions = JSONRPCClientOptions()) {
        self.endpoints = endpoints
        self.options = options
    }

    /// Parses the values of repeated `--chain ID=URL` options.
    public init(chainArguments: [String], options: JSONRPCClientOptions = JSONRPCClientOptions())
        throws(ChainConfigurationError)
    {
        self.init(options: options)
        for argument in chainArguments { try add(argument) }
    }

    /// Adds one `ID=URL`; giving a chain twice is an error even with the same URL, as it is surely a typo.
    public mutating func add(_ argument: String) throws(ChainConfigurationError) {
        let (chainID, url) = try Self.parse(argument)
        if let existing = endpoints[chainID] {
            throw ChainConfigurationError(
                argument: argument, reason: "chain \(chainID) is already set to \(existing.absoluteString)")
        }
        endpoints[chainID] = url
    }

    /// The shared client for a chain, or `.noEndpoint` naming the option that would configure it.
    public func client(for chainID: UInt64) throws(ChainError) -> JSONRPCChainClient {
        guard let url = endpoints[chainID] else { throw .noEndpoint(chainID: chainID) }
        return clients.client(for: url, options: options)
    }

    /// `ID=URL` with a decimal (or `0x` hex) chain id above 0 and an http(s) URL with a host.
    public static func parse(_ argument: String) throws(ChainConfigurationError) -> (chainID: UInt64, url: URL) {
        func failure(_ reason: String) -> ChainConfigurationError {
            ChainConfigurationError(argument: argument, reason: reason)
        }
        let text = argument.trimmingCharacters(in: .whitespaces)
        guard let equals = text.firstIndex(of: "=") else {
            throw failure("expected ID=URL, e.g. 1=https://rpc.example")
        }
        let idText = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let urlText = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
        guard !idText.isEmpty else { throw failure("the chain id before \"=\" is empty") }
        let parsedID: UInt64?
        if idText.hasPrefix("0x") || idText.hasPrefix("0X") {
            parsedID = UInt64(idText.dropFirst(2), radix: 16)
        } else {
            parsedID = idText.allSatisfy(\.isASCII) ? UInt64(idText) : nil
        }
        guard let chainID = parsedID else {
            throw failure("chain id \"\(idText)\" is not a decimal or 0x-hex number below 2^64")
        }
        guard chainID > 0 else { throw failure("chain id 0 is not a chain") }
        guard !urlText.isEmpty else { throw failure("the URL after \"=\" is empty") }
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased() else {
            throw failure("\"\(urlText)\" is not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw failure("URL scheme \"\(scheme)\" is not supported (use http or https)")
        }
        guard let host = url.host, !host.isEmpty else { throw failure("URL \"\(urlText)\" has no host") }
        return (chainID, url)
    }
}

/// A `--chain` value that could not be used, with the part that was wrong.
public struct ChainConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var argument: String
    public var reason: String

    public var description: String { "invalid --chain \"\(argument)\": \(reason)" }
}

/// Clients by endpoint and options; a reference so copies of a configuration share it.
private final class ClientCache: @unchecked Sendable {
    private struct Key: Hashable {
        var url: URL
        var options: JSONRPCClientOptions
    }

    private let lock = NSLock()
    private var clients: [Key: JSONRPCChainClient] = [:]

    func client(for url: URL, options: JSONRPCClientOptions) -> JSONRPCChainClient {
        lock.withLock {
            let key = Key(url: url, options: options)
            if let existing = clients[key] { return existing }
            let client = JSONRPCChainClient(url: url, options: options)
            clients[key] = client
            return client
        }
    }
}
