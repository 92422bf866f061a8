import Foundation
import Testing
import TokenScriptEvaluation
@testable import TokenScriptJSONRPC

@Suite("ChainConfiguration from --chain ID=URL")
struct ChainConfigurationTests {
    @Test("decimal and hex chain ids, http and https URLs")
    func parses() throws {
        let configuration = try ChainConfiguration(chainArguments: [
            "1=https://rpc.example/v1/key", " 0x7a69 = http://127.0.0.1:8545 ", "137=HTTPS://polygon.example",
        ])
        #expect(configuration.endpoints[1]?.absoluteString == "https://rpc.example/v1/key")
        #expect(configuration.endpoints[31337]?.absoluteString == "http://127.0.0.1:8545")
        #expect(configuration.endpoints[137] != nil)
        #expect(configuration.endpoints.count == 3)
    }

    @Test(
        "a bad --chain names the part that is wrong",
        arguments: [
            ("1", "expected ID=URL"),
            ("=http://x", "chain id before \"=\" is empty"),
            ("mainnet=http://x", "chain id \"mainnet\" is not a decimal"),
            ("-1=http://x", "chain id \"-1\""),
            ("99999999999999999999=http://x", "below 2^64"),
            ("0x=http://x", "chain id \"0x\""),
            ("0=http://x", "chain id 0 is not a chain"),
            ("1=", "URL after \"=\" is empty"),
            ("1=localhost:8545", "URL scheme \"localhost\" is not supported"),
            ("1=ws://node.example", "URL scheme \"ws\" is not supported"),
            ("1=rpc.example", "is not an absolute URL"),
            ("1=http://", "has no host"),
        ])
    func rejects(argument: String, fragment: String) {
        do {
            _ = try ChainConfiguration.parse(argument)
            Issue.record("\(argument) was accepted")
        } catch {
            #expect(error.argument == argument)
            #expect(error.reason.contains(fragment), "reason: \(error.reason)")
            #expect(error.description.hasPrefix("invalid --chain \"\(argument)\": "))
        }
    }

    @Test("a chain given twice is an error")
    func duplicate() {
        #expect(throws: ChainConfigurationError(argument: "1=http://b", reason: "chain 1 is already set to http://a")) {
            _ = try ChainConfiguration(chainArguments: ["1=http://a", "1=http://b"])
        }
    }

    @Test("an unconfigured chain is .noEndpoint, whose message says how to configure it")
    func noEndpoint() throws {
        let configuration = try ChainConfiguration(chainArguments: ["1=http://a"])
        #expect(throws: ChainError.noEndpoint(chainID: 5)) { try configuration.client(for: 5) }
        #expect(ChainError.noEndpoint(chainID: 5).description.contains("--chain 5=URL"))
    }

    @Test("one client per endpoint, shared by copies of the configuration")
    func sharedClients() throws {
        let configuration = try ChainConfiguration(chainArguments: ["1=http://a", "5=http://b"])
        let copy = configuration
        let first = try configuration.client(for: 1)
        #expect(try copy.client(for: 1) === first)
        #expect(try configuration.client(for: 5) !== first)
        #expect(first.url.absoluteString == "http://a")
        #expect(first.options == JSONRPCClientOptions())
    }
}
