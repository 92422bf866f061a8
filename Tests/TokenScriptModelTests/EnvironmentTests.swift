import Testing
import TokenScriptModel

@Suite("ts:env with overrides")
struct EnvironmentTests {
    static let script: TokenScript = {
        var script = TokenScript(namespace: "https://www.tokenscript.org/2024/01/tokenscript", version: .v2022_09)
        script.meta.environment = [
            .init(name: "hotelApi", value: "https://hotel.example"),
            .init(name: "airlineApi", value: "https://airline.example"),
            .init(name: "hotelApi", value: "https://hotel.example/v2"),
        ]
        return script
    }()

    @Test("without overrides the document's values are used, a later ts:env of a name winning")
    func documentValues() {
        #expect(
            Self.script.environment() == [
                "hotelApi": "https://hotel.example/v2", "airlineApi": "https://airline.example",
            ])
    }

    @Test("an override replaces a declared value and may add one the document does not declare")
    func overrides() {
        let environment = Self.script.environment(overrides: ["hotelApi": "http://127.0.0.1:8080", "extra": "x"])
        #expect(
            environment == [
                "hotelApi": "http://127.0.0.1:8080", "airlineApi": "https://airline.example", "extra": "x",
            ])
    }
}
