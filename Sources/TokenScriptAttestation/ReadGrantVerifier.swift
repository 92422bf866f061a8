import TokenScriptArithmetic

/// What a read asks for, as the serving node knows it: which instance, which interface, who holds the instance
/// now, who is reading (when the node knows), and the time.
public struct ReadGrantRequest: Hashable, Sendable {
    public var instance: String
    public var interface: String
    public var currentHolder: GrantHolder
    /// The integrator's name or key when the node authenticated it; nil when the grant is taken as a bearer
    /// credential (then anyone holding the grant may read what it grants, until it expires).
    public var grantee: String?
    /// Unix seconds (injected, so verification is pure).
    public var now: UInt64

    public init(instance: String, interface: String, currentHolder: GrantHolder, grantee: String? = nil, now: UInt64) {
        self.instance = instance
        self.interface = interface
        self.currentHolder = currentHolder
        self.grantee = grantee
        self.now = now
    }
}

/// Decides whether a read grant lets a read through. Pure: the holder and the clock are passed in.
///
/// Checks run in this order, and the first failure is the reason: shape (`malformed`), signature (`highS`,
/// `badSignature`, `wrongSigner`), holder (`wrongHolder`), instance, grantee, interface, then time
/// (`notYetValid`, `expired`). Signature first, so a forgery is always called a forgery.
public enum ReadGrantVerifier {
    /// The allowed difference between the holder's clock and ours, as for attestations.
    public static let defaultClockSkew: UInt64 = 300

    public static func verify(
        _ grant: ReadGrant, for request: ReadGrantRequest, clockSkew: UInt64 = defaultClockSkew
    ) -> Result<ReadGrant, ReadGrantRefusal> {
        if let reason = refusal(grant, for: request, clockSkew: clockSkew) {
            return .failure(ReadGrantRefusal(reason))
        }
        return .success(grant)
    }

    /// Reads the wire form, then verifies it; nil text (no grant sent) is refused as `missing`.
    public static func verify(
        json text: String?, for request: ReadGrantRequest, clockSkew: UInt64 = defaultClockSkew
    ) -> Result<ReadGrant, ReadGrantRefusal> {
        guard let text else { return .failure(ReadGrantRefusal(.missing)) }
        do {
            return verify(try ReadGrant(json: text), for: request, clockSkew: clockSkew)
        } catch {
            return .failure(ReadGrantRefusal(decoding: error))
        }
    }

    /// Reads the wire form and checks its shape and signature only: what does not depend on the read or the
    /// time, so a node may keep the result (by the grant's exact bytes) and skip the signature check when the
    /// same grant comes again. `verify(_:for:)` then makes the remaining checks, on every read.
    public static func signed(json text: String?) -> Result<SignedReadGrant, ReadGrantRefusal> {
        guard let text else { return .failure(ReadGrantRefusal(.missing)) }
        let grant: ReadGrant
        do { grant = try ReadGrant(json: text) } catch { return .failure(ReadGrantRefusal(decoding: error)) }
        if let reason = shapeOrSignatureRefusal(grant) { return .failure(ReadGrantRefusal(reason)) }
        return .success(SignedReadGrant(checked: grant))
    }

    /// The checks after the signature, in the same order as for an unsigned-checked grant: holder, instance,
    /// grantee, interface, time. The same refusal as `verify(json:for:)` gives for the same grant and read.
    public static func verify(
        _ signed: SignedReadGrant, for request: ReadGrantRequest, clockSkew: UInt64 = defaultClockSkew
    ) -> Result<ReadGrant, ReadGrantRefusal> {
        if let reason = requestRefusal(signed.grant, for: request, clockSkew: clockSkew) {
            return .failure(ReadGrantRefusal(reason))
        }
        return .success(signed.grant)
    }

    private static func refusal(
        _ grant: ReadGrant, for request: ReadGrantRequest, clockSkew: UInt64
    ) -> ReadGrantRefusal.Reason? {
        shapeOrSignatureRefusal(grant) ?? requestRefusal(grant, for: request, clockSkew: clockSkew)
    }

    private static func shapeOrSignatureRefusal(_ grant: ReadGrant) -> ReadGrantRefusal.Reason? {
        if let malformed = grant.firstMalformedField {
            return .malformed(field: malformed.field, reason: malformed.reason)
        }
        return signatureFailure(grant)
    }

    private static func requestRefusal(
        _ grant: ReadGrant, for request: ReadGrantRequest, clockSkew: UInt64
    ) -> ReadGrantRefusal.Reason? {
        guard request.currentHolder.matches(grant.holder) else {
            return .wrongHolder(signer: grant.holder.key, currentHolder: request.currentHolder.description)
        }
        guard grant.instance == request.instance else {
            return .wrongInstance(granted: grant.instance, requested: request.instance)
        }
        if let grantee = request.grantee, grantee != grant.grantee {
            return .wrongGrantee(granted: grant.grantee, requesting: grantee)
        }
        guard grant.grants(request.interface) else {
            return .interfaceNotGranted(interface: request.interface, granted: grant.interfaces)
        }
        if grant.issuedAt > request.now.saturatingAdding(clockSkew) {
            return .notYetValid(issuedAt: grant.issuedAt, now: request.now)
        }
        if request.now >= grant.expiresAt { return .expired(at: grant.expiresAt, now: request.now) }
        return nil
    }

    /// The signature under the holder's scheme, by the attestations' own checks.
    private static func signatureFailure(_ grant: ReadGrant) -> ReadGrantRefusal.Reason? {
        let failure: AttestationRejection.Reason?
        switch grant.holder {
        case .ed25519(let publicKey):
            failure = SignatureCheck.ed25519Failure(grant.signingBytes, grant.signature, publicKey: publicKey)
        case .eip191(let address):
            failure = SignatureCheck.recoveryFailure(
                EIP191.digest(grant.signingBytes), grant.signature, expected: address)
        case .eip712(let address):
            failure = SignatureCheck.recoveryFailure(
                ReadGrantTypedData.digest(grant), grant.signature, expected: address)
        case .eas:
            return .malformed(field: "holder.scheme", reason: "eas is for attestations; use eip191 or eip712")
        }
        switch failure {
        case nil: return nil
        case .highS: return .highS
        case .wrongSigner(let recovered): return .wrongSigner(recovered: recovered)
        case .malformed(let field):
            let named = field == "issuer.key" ? "holder.key" : field
            return .malformed(field: named, reason: "not a valid \(grant.holder.scheme.rawValue) key or signature")
        default: return .badSignature
        }
    }
}
