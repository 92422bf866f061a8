import TokenScriptAttestation

/// What delivering one attestation to an instance came to.
public struct StepOutcome: Sendable {
    public enum Disposition: Sendable, Hashable {
        /// Verified, and `trigger`'s transition ran and was accepted.
        case applied(trigger: String)
        /// Verified, but no trigger matched: only the bookkeeping (step, topic position) advanced.
        case unmatched
        /// Verified and matched, but the transition failed (Lua error, budget, refused result). State and
        /// attributes are unchanged; the attestation is still consumed, so a redelivery is a duplicate.
        case failed(trigger: String, message: String)
        /// A redelivery of an attestation already consumed: dropped silently.
        case ignored(AttestationRejection)
        /// Refused by the verifier (forged, untrusted, replayed, expired, …), with the reason.
        case rejected(AttestationRejection)

        /// Why the transition failed, as journaled.
        public var failureMessage: String? {
            if case .failed(_, let message) = self { message } else { nil }
        }

        /// The trigger that fired, if one did.
        public var trigger: String? {
            switch self {
            case .applied(let trigger), .failed(let trigger, _): trigger
            case .unmatched, .ignored, .rejected: nil
            }
        }
    }

    public var disposition: Disposition
    /// The instance after the step (the same value as before for ignored and rejected attestations).
    public var instance: TokenInstance
    public var events: [EmittedEvent]
    public var effects: [EffectRequest]
    /// The verified attestation when it was consumed; what the caller records in its history.
    public var verified: VerifiedAttestation?
    /// What the transition's Lua wrote with `print`, in order, for tools to show (never journaled: it changes
    /// nothing, and a replay does not compare it).
    public var log: [String] = []
}
