/// What a transition's sandbox execution is given besides its inputs: the seed and the logical clock.
///
/// In production this is always `.standard`: deterministic mode, seed = SHA-256 of (domain, instance id,
/// step), `os.time()` = the event's signed time. Nothing else can vary, so a transition cannot tell two
/// replicas (or a replay) apart. The other knobs exist to show that replay *would* catch a transition
/// whose result depended on them: a different seed domain or a clock offset stands in for "a script that
/// read a random number or the wall clock", and `confined = false` runs the sandbox's non-deterministic
/// mode (real wall clock, random seed, Lua's own `pairs` order), which a real engine never does.
public struct TransitionEnvironment: Sendable, Hashable {
    public var seedDomain: String
    /// Seconds added to the event time that `os.time()` returns.
    public var clockOffset: Int64
    /// False: the sandbox's non-deterministic mode. Only for demonstrating replay.
    public var confined: Bool

    public init(seedDomain: String = "swift-tokenscript/transition/1", clockOffset: Int64 = 0, confined: Bool = true) {
        self.seedDomain = seedDomain
        self.clockOffset = clockOffset
        self.confined = confined
    }

    public static let standard = TransitionEnvironment()

    /// The seed of the transition at `step` of instance `instanceID`: the first 8 bytes of a SHA-256.
    func seed(instanceID: String, step: UInt64) -> UInt64 {
        let digest = CanonicalHash.sha256(Array("\(seedDomain)\n\(instanceID)\n\(step)".utf8))
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
