import Testing
import TokenScriptModel

/// The one `TopicPattern` of the model and the verifier's trust configuration (moved here from the
/// attestation tests when the attestation module's copy was removed).
@Suite("Topic patterns")
struct TopicPatternTests {
    @Test(
        "topic patterns: exact or trailing-star prefix",
        arguments: [
            ("flight-status/LH400/2026-11-22", "flight-status/LH400/2026-11-22", true),
            ("flight-status/LH400/*", "flight-status/LH400/2026-11-22", true),
            ("flight-status/*", "flight-status/LH400/2026-11-22", true),
            ("*", "anything/at/all", true),
            ("flight-status/LH400/*", "flight-status/LH4000/2026-11-22", false),
            ("flight-status/LH400/2026-11-21", "flight-status/LH400/2026-11-22", false),
            ("flight-status/LH400", "flight-status/LH400/2026-11-22", false),
        ])
    func topicPattern(pattern: String, topic: String, matches: Bool) {
        #expect(TopicPattern(wellFormed: pattern)?.matches(topic) == matches)
    }

    @Test("a star anywhere but at the end, or an empty pattern, is refused", arguments: ["", "flight-*/LH400", "**x"])
    func badPattern(_ text: String) {
        #expect(TopicPattern(wellFormed: text) == nil)
    }

    @Test("whitespace is not well formed, so a topic list split on spaces cannot smuggle one in")
    func whitespace() {
        #expect(TopicPattern(wellFormed: "flight status/*") == nil)
        #expect(TopicPattern("flight status/*").isWellFormed == false)
    }
}
