/// What a network node knows to follow the anchor's placement: every instance announced on `instances`, the
/// ones still to place (new, or all of them after the membership changed), and the healthy membership and
/// replica count it last placed against.
///
/// Held in memory: a restart rebuilds it by reading `instances` from its first position, and its first
/// membership poll counts as a change, so every instance is placed again (the store's rows of instances
/// released earlier are reopened by `recover()` and released again by that first round).
struct NodePlacementState: Sendable {
    var known: Set<String> = []
    var pending: Set<String> = []
    /// `name#capacity` of every healthy member at the last poll; nil before the first.
    var healthy: Set<String>?
    var replicas: Int?

    /// Records a poll of the membership; true (and every known instance pending) when it changed.
    mutating func observe(healthy: Set<String>, replicas: Int) -> Bool {
        guard healthy != self.healthy || replicas != self.replicas else { return false }
        self.healthy = healthy
        self.replicas = replicas
        pending.formUnion(known)
        return true
    }

    /// Records an instance read on `instances`; a new one is pending.
    mutating func learn(_ id: String) {
        if known.insert(id).inserted { pending.insert(id) }
    }
}
