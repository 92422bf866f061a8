/// A read grant whose shape and signature `ReadGrantVerifier.signed(json:)` checked: only the verifier makes
/// one, so holding one is the proof. A node may keep it, keyed by the grant's exact bytes, and skip the
/// signature check when the same bytes come again; whether it lets a given read through (holder, instance,
/// grantee, interface, time) is still decided per read by `ReadGrantVerifier.verify(_:for:)`.
public struct SignedReadGrant: Hashable, Sendable {
    public let grant: ReadGrant

    init(checked grant: ReadGrant) { self.grant = grant }
}
