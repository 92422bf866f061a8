import Foundation
import TokenScriptAttestation
import TokenScriptTesting

/// Small TokenScripts with server-side Lua for the Lua-problem tests: a meter whose `tick`/`tock` attestations
/// are signed by an Ed25519 test key (seed 0x33 × 32).
enum LuaDocuments {
    static let meter = TestKeys.ed25519(0x33)
    static let meterSeed = String(repeating: "33", count: 32)

    /// A 2024/01 token whose `sl:server` holds trust, two states, an integer `count`, then `body`.
    static func document(_ body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript"
                  xmlns:sl="https://swift-tokenscript.org/server/1" name="Meter">
            <sl:server>
                <sl:trust>
                    <sl:issuer name="meter" scheme="ed25519" key="\(meter.issuer.key)" topics="meter/*"/>
                </sl:trust>
                <sl:states initial="open">
                    <sl:state name="open"/>
                    <sl:state name="closed"/>
                </sl:states>
                <sl:attribute name="count" type="integer" initial="0"/>
        \(body)
            </sl:server>
        </ts:token>

        """
    }

    /// Writes `text` to `directory/name` and returns the path.
    static func write(_ text: String, to directory: String, name: String = "meter.xml") throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The 1-based line of the first line of `text` containing `marker`.
    static func line(of marker: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(marker) }.map { $0 + 1 }
    }

    /// A transition that prints and then indexes nil (trigger `bump`, type `tick`), and one that prints and
    /// counts (trigger `ok`, type `tock`); interface `broken` indexes nil.
    static let failingTransition = document(
        """
                <sl:trigger name="bump">
                    <sl:on-attestation topic="meter/*" type="tick"/>
                    <sl:transition>
                        print("bumping " .. attributes.count)
                        local x = nil
                        return {attributes = {count = x.value}} -- RUNTIME
                    </sl:transition>
                </sl:trigger>
                <sl:trigger name="ok">
                    <sl:on-attestation topic="meter/*" type="tock"/>
                    <sl:transition>
                        print("tock")
                        return {attributes = {count = attributes.count + 1}}
                    </sl:transition>
                </sl:trigger>
                <sl:interface name="broken">
                    local missing = attributes.missing
                    return missing.value -- QUERY
                </sl:interface>
        """)

    /// A signed `meter/a` attestation of `type`.
    static func attestation(_ id: String, type: String, at time: UInt64) throws -> Attestation {
        try meter.sign(
            Attestation(
                id: id, topic: "meter/a", type: type, issuer: .ed25519(publicKey: Array(repeating: 0, count: 32)),
                issuedAt: time, payload: [:]))
    }
}
