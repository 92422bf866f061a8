/// The story's closing checks: exactly one booking per idempotency key at the hotel, and every host of every
/// ticket at the same state hash.
struct DemoStoryChecks {
    let story: DemoStory

    func finalChecks() async -> [String] {
        var failures: [String] = []
        let stats = await story.hotel.keyStats
        for key in stats where key.booking == nil {
            failures.append("hotel: key \(key.key) was called \(key.calls) times and never booked")
        }
        let expected = story.rebookingKey("LH400")
        if !stats.contains(where: { $0.key == expected && $0.booking != nil }) {
            failures.append("hotel: no booking under \(expected)")
        }
        if await story.hotel.bookingCount != stats.filter({ $0.booking != nil }).count {
            failures.append("hotel: more bookings than idempotency keys")
        }
        for entry in stats {
            story.narrate("hotel: \(entry.key): \(entry.calls) calls, booking \(entry.booking ?? "none")")
        }
        for ticket in DemoStory.tickets {
            let views = await story.readEverywhere(ticket.id)
            let hashes = Dictionary(grouping: views.keys.sorted()) { views[$0]?.string("stateHash") ?? "none" }
            if hashes.count != 1 {
                let listed = hashes.map { "\($0.key.prefix(12))… on \($0.value.joined(separator: ", "))" }.sorted()
                failures.append(
                    "\(ticket.id): hosts disagree or none answered (\(listed.joined(separator: "; ")))")
            } else if let (hash, hosts) = hashes.first {
                story.narrate("\(ticket.id): \(hosts.count) hosts at state hash \(hash.prefix(16))…")
            }
        }
        return failures
    }
}
