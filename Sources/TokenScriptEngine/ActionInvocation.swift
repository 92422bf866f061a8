import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptModel
import TokenScriptRuntime

/// An action the holder of an instance invokes (`sl:on-action name=`), e.g. a traveller choosing a seat.
///
/// The holder signs a *request*: an attestation of topic `action/<instance id>` and type `<action>`, with the
/// arguments as its payload, under the holder's key (Ed25519, EIP-191 or EIP-712; `tokenscript attest sign`
/// makes one). A definition cannot trust holders (every instance has its own), so the node that accepts the
/// request checks it against the instance's holder and signs the *invocation* the engine applies: topic
/// `action/<action>`, type `invoke`, payload `{instance, holder, arguments, request}`, where `request` is the
/// holder's request in its wire form, so anyone can check the holder's consent again. Definitions trust the
/// executing nodes for `action/*` (`ExecutorTrust`). Like effect outcomes, invocations are addressed: ordered
/// into the one instance they name, never routed by topic, and an invocation naming another instance never
/// fires (`TokenStateMachine`).
public enum ActionInvocation {
    public static let topicPrefix = "action/"
    /// The invocation's attestation type.
    public static let type = "invoke"

    /// The topic of `action`'s invocations.
    public static func topic(of action: String) -> String { topicPrefix + action }

    /// The topic a holder's request for `instance` carries: the signature binds the instance.
    public static func requestTopic(instance: String) -> String { topicPrefix + instance }

    /// The instance an invocation's payload addresses.
    public static func instance(in payload: SandboxValue) -> String? {
        guard case .string(let id)? = payload.objectMembers?["instance"] else { return nil }
        return id
    }

    /// Why a holder's request is refused; `field` names the request's field at fault.
    public struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        public enum Reason: Hashable, Sendable {
            /// Not `action/<instance>`: a request for another instance, or not a request at all.
            case wrongTopic(expected: String)
            /// Its type is not the action invoked.
            case wrongAction(expected: String)
            /// Signed by someone other than the instance's holder.
            case notHolder(signer: String, holder: String)
            /// The signature, shape or time check failed.
            case rejected(AttestationRejection)
        }

        public var reason: Reason

        public var field: String? {
            switch reason {
            case .wrongTopic: "topic"
            case .wrongAction: "type"
            case .notHolder: "issuer"
            case .rejected(let rejection):
                if case .malformed(let field) = rejection.reason { field } else { "signature" }
            }
        }

        public var description: String {
            switch reason {
            case .wrongTopic(let expected): "the request's topic must be \(expected)"
            case .wrongAction(let expected): "the request's type must be the action's name, \(expected)"
            case .notHolder(let signer, let holder): "signed by \(signer), not by the instance's holder \(holder)"
            case .rejected(let rejection): rejection.description
            }
        }
    }

    /// The invocation of `action` on `instance` that `request` asks for, unsigned (the accepting node signs it),
    /// after checking the request: its topic and type, its signer against `holder`, its signature, and its time
    /// against `now` (`AttestationVerifier`, as for any attestation).
    public static func invocation(
        of request: Attestation, instance: String, action: String, holder: GrantHolder, now: UInt64,
        clockSkew: UInt64 = TrustConfiguration().clockSkew
    ) -> Result<Attestation, Refusal> {
        let topic = requestTopic(instance: instance)
        guard request.topic.utf8.elementsEqual(topic.utf8) else {
            return .failure(Refusal(reason: .wrongTopic(expected: topic)))
        }
        guard request.type.utf8.elementsEqual(action.utf8) else {
            return .failure(Refusal(reason: .wrongAction(expected: action)))
        }
        guard holder.matches(request.issuer) else {
            return .failure(Refusal(reason: .notHolder(signer: request.issuer.key, holder: holder.description)))
        }
        let trust = TrustConfiguration(
            grants: [.init(issuer: request.issuer, topics: [TopicPattern(topic)])], clockSkew: clockSkew)
        if case .failure(let rejection) = AttestationVerifier.verify(
            request, trust: trust, now: now, seen: SeenAttestations())
        {
            return .failure(Refusal(reason: .rejected(rejection)))
        }
        let payload: AttestationValue = .object([
            "instance": .string(instance), "holder": .string(holder.description), "arguments": request.payload,
            "request": .string(request.json),
        ])
        return .success(
            Attestation(
                id: invocationID(instance: instance, request: request), topic: self.topic(of: action), type: type,
                issuer: request.issuer, issuedAt: request.issuedAt, expiresAt: request.expiresAt, payload: payload))
    }

    /// `action-` and the SHA-256 of the instance id and the request's id: the same request gives the same
    /// invocation id on every node (a retry is logged once), and no request of another instance shares it.
    static func invocationID(instance: String, request: Attestation) -> String {
        let bytes = Array(instance.utf8) + [0] + Array(request.id.utf8)
        return "action-" + CanonicalHash.hex(CanonicalHash.sha256(bytes))
    }
}
