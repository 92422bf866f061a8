/// One piece of Lua in the server extension, under the chunk name the engine loads it with.
///
/// The engine's programs `load` every body as `=<chunk name>` (`trigger lounge-access`, `computed status`,
/// `request rebookHotel`, `idempotency-key rebookHotel`, `interface flightStatus`), so Lua's messages say
/// `trigger lounge-access:3:`. Listing the bodies here, with those names, lets `validate` compile each one and
/// lets every printed message turn the chunk's line into the document's (`LuaMessageLocation`).
public struct LuaBody: Sendable, Hashable {
    /// Which element holds the Lua.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case transition, computed, interface, request
        case idempotencyKey = "idempotency-key"

        /// The first word of the chunk name.
        public var chunkPrefix: String {
            switch self {
            case .transition: "trigger"
            case .computed: "computed"
            case .interface: "interface"
            case .request: "request"
            case .idempotencyKey: "idempotency-key"
            }
        }

        /// The element as documents spell it, for messages.
        public var element: String { "sl:" + rawValue }
    }

    public var kind: Kind
    /// The trigger, computed attribute, interface or effect the body belongs to.
    public var owner: String
    public var source: LuaSource
    /// The names the chunk's arguments are bound to.
    public var parameters: [String]
    /// The owning element (`sl:trigger`, `sl:computed`, `sl:interface`, `sl:effect`), when known.
    public var location: SourceLocation?

    public init(
        kind: Kind, owner: String, source: LuaSource, parameters: [String], location: SourceLocation? = nil
    ) {
        self.kind = kind
        self.owner = owner
        self.source = source
        self.parameters = parameters
        self.location = location
    }

    /// `trigger lounge-access`: what Lua's messages start with.
    public var chunkName: String { kind.chunkPrefix + " " + owner }

    /// The text the engine loads: the body with its arguments bound on its first line.
    public var chunk: String { source.chunk(binding: parameters) }
}

extension ServerExtension {
    /// Every Lua body, in document order within each kind: transitions, computed attributes, interfaces,
    /// then each effect's request and idempotency key.
    public var luaBodies: [LuaBody] {
        var bodies: [LuaBody] = []
        for trigger in triggers {
            if case .lua(let source) = trigger.transition {
                bodies.append(
                    LuaBody(
                        kind: .transition, owner: trigger.name, source: source, parameters: Transition.parameters,
                        location: trigger.location))
            }
        }
        for attribute in computed {
            bodies.append(
                LuaBody(
                    kind: .computed, owner: attribute.name, source: attribute.lua,
                    parameters: ComputedAttribute.parameters, location: attribute.location))
        }
        for interface in interfaces {
            bodies.append(
                LuaBody(
                    kind: .interface, owner: interface.name, source: interface.lua,
                    parameters: ServerInterface.parameters, location: interface.location))
        }
        for effect in effects {
            if let request = effect.request {
                bodies.append(
                    LuaBody(
                        kind: .request, owner: effect.name, source: request,
                        parameters: ServerEffect.requestParameters, location: effect.location))
            }
            if let key = effect.idempotencyKey.lua {
                bodies.append(
                    LuaBody(
                        kind: .idempotencyKey, owner: effect.name, source: key,
                        parameters: ServerEffect.keyParameters, location: effect.location))
            }
        }
        return bodies
    }
}
