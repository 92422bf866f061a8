import Testing
import TokenScriptDocument
import TokenScriptModel
import TokenScriptSimulation
import TokenScriptTesting

/// The dry run's clock: ticks signed by the node, and a bound on how many.
@Suite struct DryRunClockTests {
    @Test("a schedule that would tick without end is stopped after the bound, naming the trigger")
    func runawaySchedule() async throws {
        let loaded = try TokenScriptReader.read(file: TestPaths.tokenScripts + "/flight-ticket.xml")
        var script = loaded.tokenScript
        let index = try #require(script.server?.triggers.firstIndex { $0.name == "expire" })
        script.server!.triggers[index].event = .schedule(.every(.seconds(1)))
        script.server!.triggers[index].states = ["active"]
        script.server!.triggers[index].transition = .lua(LuaSource(text: "return {}", line: 1))
        var setup = DryRunSimulation.Setup(nodeSeed: Array(repeating: 0x42, count: 32))
        setup.initial = InitialInstance(state: "active")
        setup.now = 1_790_000_000
        setup.advance = [.by(.seconds(60))]
        setup.maximumTicks = 20
        await #expect(throws: Simulation.Failure.self) {
            _ = try await DryRunSimulation.run(
                script, attestations: [], setup: setup, runtime: SimulationTestSupport.pool)
        }
        setup.maximumTicks = 60
        let run = try await DryRunSimulation.run(
            script, attestations: [], setup: setup, runtime: SimulationTestSupport.pool)
        #expect(run.deliveries.count == 60)
        #expect(run.deliveries.allSatisfy { $0.delivery.disposition.trigger == "expire" })
        #expect(run.clock == 1_790_000_060)
        #expect(run.journal.sealedEntries.count == 60)
    }
}
