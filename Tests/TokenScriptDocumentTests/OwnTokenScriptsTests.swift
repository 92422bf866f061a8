import Foundation
import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptTesting

/// Our own TokenScripts in `TokenScripts/` read into exactly the model recorded under `Fixtures/golden/`,
/// and the features each one exists to show are checked one by one.
@Suite("Own TokenScripts")
struct OwnTokenScriptsTests {
    static let files = ["event-ticket-erc721.xml", "reward-token-erc20.xml", "membership-2024.xml"]

    static func load(_ name: String) throws -> LoadedTokenScript {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.tokenScripts + "/" + name)))
        // A relative name keeps the recorded locations independent of where the checkout lives.
        return try TokenScriptReader.read(
            bytes: bytes, file: "TokenScripts/" + name, directory: TestPaths.tokenScripts,
            options: TokenScriptReadOptions(strict: true))
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("each reads strictly, without a single diagnostic, into the golden model", arguments: files)
    func golden(_ name: String) throws {
        let loaded = try Self.load(name)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let base = (name as NSString).deletingPathExtension
        if let difference = Golden.check(try Self.json(loaded.tokenScript), against: base + ".model.json") {
            Issue.record(Comment(rawValue: difference))
        }
    }

    @Test("the ticket's token-id fields are bitmasks, with a mapping in two languages and typed selections")
    func ticket() throws {
        let script = try Self.load("event-ticket-erc721.xml").tokenScript
        #expect(script.version == .v2024_01)
        let tokenIDFields = script.attributes.compactMap { attribute -> (String, Bitmask)? in
            if case .tokenID(let origin) = attribute.origin, let mask = origin.bitmask { return (attribute.name, mask) }
            return nil
        }
        #expect(tokenIDFields.count >= 3)
        // Fields do not overlap: each bit belongs to one field at most.
        let masks = tokenIDFields.map(\.1)
        for (index, mask) in masks.enumerated() {
            for other in masks[(index + 1)...] {
                let overlap = zip(mask.hex.leftPadded(64), other.hex.leftPadded(64)).contains { a, b in
                    (Int(String(a), radix: 16)! & Int(String(b), radix: 16)!) != 0
                }
                #expect(!overlap, "\(mask) overlaps \(other)")
            }
        }
        let category = try #require(script.attributes.first { $0.name == "category" })
        let mapping = try #require(category.origin?.mapping)
        #expect(mapping.value(forKey: "1", preferring: ["de"]) != nil)
        #expect(mapping.options.allSatisfy { Set($0.value.languages).isSuperset(of: ["en", "de"]) })
        let vipOnly = try #require(script.selection(named: "vipOnly")?.filter)
        #expect(vipOnly.referencedAttributes.contains("seat"))
        let redeem = try #require(script.cards.first { $0.name == "redeem" })
        #expect(redeem.exclude == ["expired"])
        #expect(redeem.transaction?.signature == "redeem(uint256)")
        #expect(script.cards.contains { $0.kind == .activity && !$0.eventOrigins.isEmpty })
        #expect(script.eventModules.flatMap(\.types).allSatisfy { script.eventType(named: $0.name) != nil })
    }

    @Test("the ERC-20 reads an e18 user entry and a transfer with local refs")
    func erc20() throws {
        let script = try Self.load("reward-token-erc20.xml").tokenScript
        let transfer = try #require(script.cards.first { $0.name == "transfer" })
        let amount = try #require(transfer.attributes.first { $0.name == "amount" })
        guard case .userEntry(let entry) = amount.origin else {
            Issue.record("amount is not a user entry")
            return
        }
        #expect(entry.conversion == .scaled(decimals: 18))
        #expect(transfer.transaction?.signature == "transfer(address,uint256)")
        #expect(
            transfer.transaction?.arguments.map(\.source) == [.localReference("recipient"), .localReference("amount")])
        #expect(transfer.exclude == ["noBalance"])
        let balance = try #require(script.attributes.first { $0.name == "balance" })
        #expect(balance.referencedNames == ["ownerAddress"])
    }

    @Test("the 2024/01 membership has named transactions, an abi tuple with paths, meta, env and an EAS attestation")
    func membership() throws {
        let script = try Self.load("membership-2024.xml").tokenScript
        #expect(script.transactions.count >= 2)
        #expect(script.meta.environment.contains { $0.name == "apiBase" })
        #expect(script.contracts.contains { $0.abi != nil })
        let paths = script.attributes.compactMap { attribute -> AttributePath? in
            if case .path(let path) = attribute.origin { return path }
            return nil
        }
        #expect(paths.contains { $0.attribute == "memberInfo" && !$0.components.isEmpty })
        let memberInfo = try #require(script.attributes.first { $0.name == "memberInfo" })
        guard case .call(let call) = memberInfo.origin else {
            Issue.record("memberInfo is not a call")
            return
        }
        #expect(call.conversion == .abi)
        let attestation = try #require(script.attestations.first)
        #expect(attestation.type == "eas")
        #expect(!attestation.keys.isEmpty && !attestation.idFields.isEmpty && !attestation.collectionFields.isEmpty)
        #expect(attestation.easSchemaUID?.hasPrefix("0x") == true)
        #expect(script.origins.contains(.attestation(attestation.name)))
        #expect(Set(script.cards.map(\.kind.description)).isSuperset(of: ["token", "action", "onboarding", "public"]))
    }
}

extension String {
    func leftPadded(_ length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
