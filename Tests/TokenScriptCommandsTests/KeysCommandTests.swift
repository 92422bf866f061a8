import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript keys new`: a fresh key in a 0600 file that is never overwritten, and the issuer key it prints.
@Suite("keys new")
struct KeysCommandTests {
    @Test(
        "writes a 0600 key file whose public half is the key printed, and refuses to overwrite it",
        arguments: [
            "ed25519", "eip191",
        ])
    func writesAndRefuses(scheme: String) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/issuer.key"
        let console = Console.capture()
        let options = try Keys.Options.parse(["--scheme", scheme, "--out", path])
        #expect(await Keys.run(options, console: console) == 0, "\(console.errorOutput)")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let file = try KeyFile.read(path)
        #expect(file.scheme == scheme)
        #expect(console.output.contains("Issuer key: \(file.issuerKey)\n"), "\(console.output)")
        #expect(console.output.contains("scheme=\"\(scheme)\" key=\"\(file.issuerKey)\""), "\(console.output)")
        if scheme == "eip191" {
            #expect(file.address?.hasPrefix("0x") == true && file.address?.count == 42)
            #expect(file.publicKey == nil)
        } else {
            #expect(file.publicKey?.count == 66)
            #expect(file.address == nil)
        }

        let again = Console.capture()
        #expect(await Keys.run(options, console: again) == 2)
        #expect(again.output.isEmpty)
        #expect(again.errorOutput.contains("already exists (not overwritten)"), "\(again.errorOutput)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == written)
    }

    @Test("without --out the key file JSON is printed, and two keys differ")
    func printsKeyFile() async throws {
        var keys: [KeyFile] = []
        for _ in 0..<2 {
            let console = Console.capture()
            #expect(await Keys.run(try Keys.Options.parse(["--scheme", "ed25519"]), console: console) == 0)
            keys.append(try JSONDecoder().decode(KeyFile.self, from: Data(console.output.utf8)))
        }
        #expect(keys[0].privateKey != keys[1].privateKey)
        // The printed JSON is a key file `attest sign` accepts as it is.
        let directory = try TemporaryDirectory()
        try keys[0].json.write(toFile: directory.path + "/k.json", atomically: false, encoding: .utf8)
        #expect(try KeyFile.read(directory.path + "/k.json") == keys[0])
    }

    @Test("an unknown scheme is bad usage: exit 2, nothing on stdout, no file")
    func unknownScheme() async throws {
        let directory = try TemporaryDirectory()
        let console = Console.capture()
        let options = try Keys.Options.parse(["--scheme", "rsa", "--out", directory.path + "/k"])
        #expect(await Keys.run(options, console: console) == 2)
        #expect(console.output.isEmpty)
        #expect(console.errorOutput.contains("--scheme: unknown \"rsa\""), "\(console.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/k"))
    }
}
