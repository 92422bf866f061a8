import TokenScriptEngine
import TokenScriptModel

/// Which keys a definition must trust for effect outcomes (and the hosting node's inputs) to be accepted:
/// the one preparation of the simulated and the live path.
public enum ExecutorTrust {
    /// The issuer name of the executing node in scenarios and dry runs.
    public static let defaultExecutorName = "executor"

    /// The anchoring issuer's name for `effect`: the first document issuer (not an executor) trusted for its
    /// outcome topic; nil without anchor fallback or without such an issuer.
    public static func anchorIssuer(for effect: ServerEffect, in server: ServerExtension) -> String? {
        guard effect.anchorFallback else { return nil }
        return server.issuers.first { issuer in
            issuer.name != defaultExecutorName && issuer.topics.contains { $0.matches(effect.outcomeTopic) }
        }?.name
    }

    /// `server` with each executing node trusted (Ed25519) under its name — appended after the document's
    /// issuers — for every effect's outcome topic, for `schedule/*`, `attribute/*` and `action/*` when
    /// triggers need them (the hosting node signs the clock's and the attribute watchers' inputs, and the
    /// accepting node the holder's actions, see `TokenStateMachine`), and for `changes/*` when the token follows
    /// others (a followed instance's executor signs its changes, `ChangeAttestations`);
    /// and the anchoring issuer of each effect with anchor fallback given `anchor`'s key. Every node of a
    /// deployment prepares the definition the same way, so all of them accept the same attestations.
    public static func prepare(
        _ server: ServerExtension, executors: [(name: String, key: String)], anchor: String?
    ) -> ServerExtension {
        var copy = server
        if let anchor {
            for effect in server.effects {
                guard let name = anchorIssuer(for: effect, in: server),
                    let index = copy.issuers.firstIndex(where: { $0.name == name })
                else { continue }
                copy.issuers[index].scheme = .ed25519
                copy.issuers[index].key = anchor
            }
        }
        var topics = server.effects.map { TopicPattern($0.outcomeTopic) }
        if server.triggers.contains(where: { if case .schedule = $0.event { true } else { false } }) {
            topics.append(TopicPattern("schedule/*"))
        }
        if server.triggers.contains(where: { if case .attributeChange = $0.event { true } else { false } }) {
            topics.append(TopicPattern("attribute/*"))
        }
        if server.triggers.contains(where: { if case .action = $0.event { true } else { false } }) {
            topics.append(TopicPattern(ActionInvocation.topic(of: "*")))
        }
        if !server.follows.isEmpty {
            // A followed instance's changes are signed by whichever node executes it (`ChangeAttestations`).
            topics.append(TopicPattern(FollowedToken.topicPrefix + "*"))
        }
        guard !topics.isEmpty else { return copy }
        for executor in executors {
            copy.issuers.removeAll { $0.name == executor.name }
            copy.issuers.append(TrustedIssuer(name: executor.name, scheme: .ed25519, key: executor.key, topics: topics))
        }
        return copy
    }
}
