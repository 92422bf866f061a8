import Foundation
import Testing
import TokenScriptAnchor
import TokenScriptAttestation
import TokenScriptNode
import TokenScriptTesting

/// Both servers read their config files through `ServerConfigFile`: strict JSON, every field named.
@Suite("Node and anchor config files")
struct ConfigFileTests {
    static func write(_ text: String) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/config.json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    @Test("a node's config file gives every field; an anchor's gives its seconds")
    func readsFields() throws {
        let (directory, path) = try Self.write(
            #"{"listen": "127.0.0.1:0", "data": "d", "name": "n1", "key": "k", "scripts": ["a.xml", "b.xml"],"#
                + #" "anchor": "http://127.0.0.1:9", "dormantAfter": "5m", "retainExpired": "7d"}"#)
        _ = directory
        let node = try NodeConfiguration.File.read(path)
        #expect(
            node
                == .init(
                    listen: "127.0.0.1:0", data: "d", name: "n1", key: "k", scripts: ["a.xml", "b.xml"],
                    anchor: "http://127.0.0.1:9", dormantAfter: "5m", retainExpired: "7d"))
        let (other, anchorPath) = try Self.write(#"{"name": "a1", "nodeTimeout": 3, "leaseTerm": 5}"#)
        _ = other
        let anchor = try AnchorConfiguration.File.read(anchorPath)
        #expect(anchor.name == "a1")
        #expect(anchor.nodeTimeout == 3)
        #expect(anchor.leaseTerm == 5)
        #expect(anchor.listen == nil)
    }

    @Test(
        "a duplicate field is refused with its line and column, not resolved silently",
        arguments: [
            (#"{"name": "n1",\n "name": "n2"}"#, "line 2"),
            (#"{"listen": "127.0.0.1:0", "listen": "0.0.0.0:80"}"#, "line 1"),
        ])
    func duplicateField(text: String, line: String) throws {
        let (directory, path) = try Self.write(text.replacingOccurrences(of: "\\n", with: "\n"))
        _ = directory
        let error = try #require(throws: NodeConfigurationError.self) { try NodeConfiguration.File.read(path) }
        #expect(error.field == "--config")
        #expect(error.message.contains(path))
        #expect(error.message.contains("duplicate key"))
        #expect(error.message.contains(line))
    }

    @Test("an anchor's members are NAME=0xKEY; a bad name, a bad key, no '=' or a name twice is refused")
    func members() throws {
        let key = TestKeys.ed25519(0x61).issuer.key
        let (directory, path) = try Self.write("{\"members\": [\"n1=\(key)\"]}")
        _ = directory
        let texts = try #require(try AnchorConfiguration.File.read(path).members)
        #expect(try AnchorConfiguration.members(texts) == ["n1": TestKeys.ed25519(0x61).issuer])
        for bad in ["n1", "n 1=\(key)", "n1=0x1234", "n1=\(key)|n1=\(key)", "=\(key)"] {
            let error = try #require(throws: AnchorConfigurationError.self) {
                try AnchorConfiguration.members(bad.split(separator: "|").map(String.init))
            }
            #expect(error.field == "member", "\(bad)")
        }
    }

    @Test("a span of time is a whole number and s, m, h or d; anything else is refused naming the flag")
    func spans() throws {
        #expect(try NodeConfiguration.seconds("0s", field: "dormant-after") == 0)
        #expect(try NodeConfiguration.seconds("90s", field: "dormant-after") == 90)
        #expect(try NodeConfiguration.seconds("5m", field: "dormant-after") == 300)
        #expect(try NodeConfiguration.seconds("2h", field: "dormant-after") == 7_200)
        #expect(try NodeConfiguration.seconds("30d", field: "retain-expired") == 2_592_000)
        for bad in ["", "s", "60", "-1s", "1.5h", "1w", "3651d", "99999999999999999999s", " 1s"] {
            let error = #expect(throws: NodeConfigurationError.self) {
                try NodeConfiguration.seconds(bad, field: "retain-expired")
            }
            #expect(error?.field == "retain-expired", "\(bad)")
        }
    }

    @Test("a field of the wrong type is named with the type it needs")
    func mistypedField() throws {
        let (directory, path) = try Self.write(#"{"scripts": ["a.xml", 7]}"#)
        _ = directory
        let node = try #require(throws: NodeConfigurationError.self) { try NodeConfiguration.File.read(path) }
        #expect(node.field == "scripts")
        #expect(node.message.contains("a list of strings"))
        let (other, anchorPath) = try Self.write(#"{"leaseTerm": -1}"#)
        _ = other
        let anchor = try #require(throws: AnchorConfigurationError.self) {
            try AnchorConfiguration.File.read(anchorPath)
        }
        #expect(anchor.field == "leaseTerm")
        #expect(anchor.message.contains("whole seconds"))
    }

    @Test("an unknown field, a file that is not an object, malformed JSON and a missing file are refused")
    func badFiles() throws {
        let (directory, path) = try Self.write(#"{"name": "n1", "lisen": "127.0.0.1:0"}"#)
        let unknown = try #require(throws: AnchorConfigurationError.self) { try AnchorConfiguration.File.read(path) }
        #expect(unknown.field == "lisen")
        try Data("[1, 2]".utf8).write(to: URL(fileURLWithPath: path))
        let list = try #require(throws: NodeConfigurationError.self) { try NodeConfiguration.File.read(path) }
        #expect(list.message.contains("not a JSON object"))
        try Data("{\"name\": \"n1\",\n  }".utf8).write(to: URL(fileURLWithPath: path))
        let malformed = try #require(throws: NodeConfigurationError.self) { try NodeConfiguration.File.read(path) }
        #expect(malformed.field == "--config")
        #expect(malformed.message.contains("line 2"))
        let missing = try #require(throws: NodeConfigurationError.self) {
            try NodeConfiguration.File.read(directory.path + "/absent.json")
        }
        #expect(missing.field == "--config")
        #expect(missing.message.contains("absent.json"))
    }
}
