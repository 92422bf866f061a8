import Foundation
import TokenScriptJSON

/// The slow node's chapter of the demo (issue 12): one node is told to answer 1.5 s late (`POST /v1/faults`; the
/// devnet's demo nodes run with `--fault-injection`). The anchor's probes find it over the objective's 1 s
/// bound while its heartbeats go out on time; within about half a minute its burn rate pages, its placement
/// weight drops to 0 and it hands its instances to the other hosts, which keep serving them. It is made fast
/// again afterwards (it takes instances back once its 5-minute window is clean). The anchor's status page shows
/// it paging, with weight 0.
struct DemoSlowNode: Sendable {
    let story: DemoStory
    /// An instance the chapter watches move away from the slow node.
    let instance: String

    var narrate: @Sendable (String) -> Void { story.narrate }

    func play() async -> [String] {
        guard story.sharedLog, story.nodes.count > 1, let slow = story.nodes.last else { return [] }
        let asked = await DemoHTTP.send("POST", slow.url + "/v1/faults", body: "{\"delayMilliseconds\":1500}")
        if asked.status == 404 {
            narrate("(\(slow.name) takes no injected faults: the slow node's chapter is skipped)")
            return []
        }
        guard asked.status == 200 else { return ["making \(slow.name) slow: \(asked.summary)"] }
        narrate("\(slow.name) now answers everything 1.5 s late; the anchor probes it every second (1 s objective).")
        let started = Date()
        var failures: [String] = []
        let relieved = await story.poll(seconds: story.stepSeconds * 4, every: .seconds(1)) {
            let listed = await DemoHTTP.send("GET", slow.url + "/v1/instances", deadline: 10)
            let ids = listed.json?["instances"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
            return ids.map { !$0.contains(instance) } ?? false
        }
        if relieved {
            narrate(
                String(format: "%.0f s later its burn rate pages: weight 0, ", Date().timeIntervalSince(started))
                    + "\(slow.name) hands \(instance) and its other instances to the other hosts "
                    + "(the anchor's status page shows it paging).")
        } else {
            failures.append("\(slow.name) was not relieved of \(instance) within \(Int(story.stepSeconds * 4)) s")
        }
        let others = story.nodes.filter { $0.name != slow.name }
        await story.on(others).expectServed(instance, failures: &failures)
        let lifted = await DemoHTTP.send("POST", slow.url + "/v1/faults", body: "{\"delayMilliseconds\":0}")
        if lifted.status != 200 { failures.append("making \(slow.name) fast again: \(lifted.summary)") }
        narrate("\(slow.name) is fast again; it gets instances back when its 5-minute window is clean.")
        return failures
    }
}
