import Foundation
import Testing
import TokenScriptTesting
@testable import TokenScriptCommands

/// `tokenscript inspect` on a TokenScript with an `sl:server` extension: what an integrator needs to read.
@Suite("inspect server")
struct InspectServerTests {
    static let flightTicket = TestPaths.tokenScripts + "/flight-ticket.xml"

    @Test(
        "the smart car's follows: each with its attribute and token, in text and JSON; a token without any has no key")
    func follows() throws {
        let car = TestPaths.tokenScripts + "/smart-car.xml"
        let text = Console.capture()
        #expect(Inspect.run(try Inspect.Options.parse([car]), console: text) == 0)
        #expect(text.output.contains("follows (3):"), "\(text.output)")
        #expect(text.output.contains("insurance: the CarInsurance whose id is in insurance  (changes/${insurance})"))
        #expect(text.output.contains("insurance-changed: on-change changes/${insurance} type change"))
        let console = Console.capture()
        #expect(Inspect.run(try Inspect.Options.parse([car, "--json"]), console: console) == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let follows = try #require((json["server"] as? [String: Any])?["follows"] as? [[String: Any]])
        #expect(follows.map { $0["token"] as? String } == ["CarRegistration", "CarInsurance", "CarMaintenance"])
        #expect(follows.map { $0["attribute"] as? String } == ["registration", "insurance", "maintenance"])
        let ticket = Console.capture()
        #expect(Inspect.run(try Inspect.Options.parse([Self.flightTicket, "--json"]), console: ticket) == 0)
        let ticketJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(ticket.output.utf8)) as? [String: Any])
        #expect((ticketJSON["server"] as? [String: Any])?["follows"] == nil)
    }

    @Test("--json has a server key: issuers with topics, states, triggers with topic, type and condition, effects")
    func serverJSON() throws {
        let console = Console.capture()
        #expect(Inspect.run(try Inspect.Options.parse([Self.flightTicket, "--json"]), console: console) == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let server = try #require(json["server"] as? [String: Any])
        #expect(server["initialState"] as? String == "booked")
        let issuers = try #require(server["issuers"] as? [[String: Any]])
        #expect(issuers.map { $0["name"] as? String } == ["airline", "anchor"])
        #expect(issuers.first?["topics"] as? [String] == ["flight-status/*"])
        #expect(issuers.first?["scheme"] as? String == "eip191")
        let states = try #require(server["states"] as? [[String: Any]])
        #expect(states.first?["lifecycle"] as? String == "dormant")
        #expect(states.last?["name"] as? String == "expired")
        let triggers = try #require(server["triggers"] as? [[String: Any]])
        func trigger(_ name: String) throws -> [String: Any] {
            try #require(triggers.first { $0["name"] as? String == name })
        }
        let delay = try trigger("significant-delay")
        #expect(delay["on"] as? String == "on-attestation")
        #expect(delay["topic"] as? String == "flight-status/${flight}")
        #expect(delay["type"] as? String == "delay")
        #expect(delay["condition"] as? String == "(delayMinutes>=360)")
        #expect(delay["states"] as? [String] == ["active", "delayed", "lounge"])
        #expect(delay["transition"] as? String == "lua")
        let expire = try trigger("expire")
        #expect(expire["topic"] as? String == "schedule/expire")
        #expect(expire["condition"] as? String == "after PT12H from departureTime")
        #expect(expire["transition"] as? String == "goto expired")
        #expect(try trigger("hotel-refused")["condition"] as? String == "status 4xx")
        #expect(try trigger("new-holder")["topic"] as? String == "attribute/ownerAddress")
        let effects = try #require(server["effects"] as? [[String: Any]])
        #expect(effects.first?["url"] as? String == "${env.hotelApi}/rebookings")
        #expect(effects.first?["retries"] as? Int == 3)
        #expect(effects.first?["anchorFallback"] as? Bool == true)
        let interfaces = try #require(server["interfaces"] as? [[String: Any]])
        #expect(interfaces.first?["name"] as? String == "flightStatus")
        #expect(interfaces.first?["arguments"] as? [String] == [])
        let attributes = try #require(server["attributes"] as? [[String: Any]])
        #expect(attributes.contains { $0["name"] as? String == "status" && $0["type"] as? String == "computed" })
        #expect(attributes.contains { $0["name"] as? String == "delayMinutes" && $0["initial"] as? String == "0" })
    }

    @Test("a TokenScript without sl:server has no server key")
    func noServer() throws {
        let console = Console.capture()
        let path = TestPaths.tokenScripts + "/event-ticket-erc721.xml"
        #expect(Inspect.run(try Inspect.Options.parse([path, "--json"]), console: console) == 0)
        #expect(!console.output.contains("\"server\""))
    }

    @Test("the text lists the trusted issuers, states, triggers, effects and interfaces")
    func serverText() throws {
        let console = Console.capture()
        #expect(Inspect.run(try Inspect.Options.parse([Self.flightTicket]), console: console) == 0)
        let output = console.output
        #expect(output.contains("trusted issuers (2):"))
        #expect(
            output.contains("  airline (eip191 0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A)  topics: flight-status/*"))
        #expect(output.contains("  booked (dormant)"))
        #expect(output.contains("  expire: on-schedule schedule/expire type schedule after PT12H from departureTime"))
        #expect(output.contains("  rebookHotel: POST ${env.hotelApi}/rebookings  timeout PT10S, 3 retries"))
        #expect(output.contains("interfaces (1):\n  flightStatus()"), "\(output)")
    }

    @Test("interface arguments are the names the Lua reads from args, in order, once each")
    func argumentNames() {
        let lua = """
            local n = args.nights or 1
            if args["currency"] == 'EUR' then return myargs.x end
            return {n = args.nights, c = args['class'], t = args_table}
            """
        #expect(InspectServerReport.argumentNames(lua) == ["nights", "currency", "class"])
        #expect(InspectServerReport.argumentNames("return state") == [])
    }
}
