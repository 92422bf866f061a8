import TokenScriptEgress
import TokenScriptModel
import TokenScriptRuntime

/// Turns an `EffectRequest` of a transition into the concrete request (`BuiltEffectRequest`) of its `sl:effect`.
///
/// Runs the effect's `sl:request` Lua `(input, attributes) → {url?, headers, body}` and its
/// `sl:idempotency-key` Lua `(input, attributes) → string` in one sandbox execution, in deterministic mode
/// (seed from the request id, `os.time()` = the requesting step's time), with the instance's stored and
/// computed attributes as they are *after* the requesting transition (effects run after the step is
/// journaled). `${env.NAME}` in the URL is replaced from `environment` (the TokenScript's `ts:meta/ts:env`,
/// possibly overridden). The default idempotency key is `<instance>/<trigger>/<sequence>/<effect>`
/// (ServerExtension.md). It never opens a connection: it only computes what would be sent.
public struct EffectRequestBuilder: Sendable {
    public let server: ServerExtension
    public let environment: [String: String]
    /// Where the request Lua runs (the sandbox pool in production).
    public let runtime: any ScriptRuntime
    public var limits: SandboxLimits

    /// Why no request could be built; `description` names the effect.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public enum Reason: Sendable, Hashable {
            case unknownEffect(String)
            /// The request or idempotency-key Lua did not complete (`status`, and its message or limit).
            case luaDidNotComplete(effect: String, status: SandboxResult.Status, message: String)
            /// A value of the wrong kind where the request reads `field`; `value` is its canonical JSON.
            case requestNotATable(effect: String, value: String)
            case unknownRequestField(effect: String, field: String)
            case urlNotAString(effect: String, value: String)
            case headersNotATable(effect: String)
            /// Two header names that differ only in Unicode normalisation.
            case headerNamesCollide(effect: String)
            case headerNotAString(effect: String, header: String, value: String)
            case idempotencyKeyNotAString(effect: String, value: String)
            /// The header check refused a header (CR/LF, NUL, a name that is not a token, a framing header).
            case invalidHeader(effect: String, message: String)
            case unterminatedEnvironmentReference(effect: String, url: String)
            case missingEnvironmentValue(effect: String, name: String)
        }

        public var reason: Reason

        public init(_ reason: Reason) { self.reason = reason }

        public var description: String {
            switch reason {
            case .unknownEffect(let name): "unknown effect \(name)"
            case .luaDidNotComplete(let effect, let status, let message):
                "effect \(effect): the request Lua did not complete (\(status.rawValue)): \(message)"
            case .requestNotATable(let effect, let value):
                "effect \(effect): sl:request must return a table, not \(value)"
            case .unknownRequestField(let effect, let field):
                "effect \(effect): unknown request field \"\(field)\" (expected url, headers, body)"
            case .urlNotAString(let effect, let value): "effect \(effect): url must be a string, not \(value)"
            case .headersNotATable(let effect): "effect \(effect): headers must be a table of name = value"
            case .headerNamesCollide(let effect):
                "effect \(effect): two header names differ only in Unicode normalisation"
            case .headerNotAString(let effect, let header, let value):
                "effect \(effect): header \(header) must be a string, not \(value)"
            case .idempotencyKeyNotAString(let effect, let value):
                "effect \(effect): sl:idempotency-key must return a non-empty string, not \(value)"
            case .invalidHeader(let effect, let message): "effect \(effect): \(message)"
            case .unterminatedEnvironmentReference(let effect, let url):
                "effect \(effect): unterminated ${env. in \(url)"
            case .missingEnvironmentValue(let effect, let name):
                "effect \(effect): ${env.\(name)} has no value (ts:meta/ts:env name=\"\(name)\")"
            }
        }
    }

    public init(
        server: ServerExtension, environment: [String: String], runtime: any ScriptRuntime,
        limits: SandboxLimits = .init()
    ) {
        self.server = server
        self.environment = environment
        self.runtime = runtime
        self.limits = limits
    }

    static let prelude =
        AttributeViewPrelude.text + "\n" + """
            local result = {}
            if request.request then
              local body, problem = load(request.request, "=request " .. request.effect, "t")
              if not body then error(problem, 0) end
              result.request = body(request.input, view)
            end
            if request.key then
              local body, problem = load(request.key, "=idempotency-key " .. request.effect, "t")
              if not body then error(problem, 0) end
              result.key = body(request.input, view)
            end
            return result
            """

    /// Whether building `effect`'s request runs Lua (and so costs a sandbox execution).
    public static func runsLua(_ effect: ServerEffect) -> Bool {
        effect.request != nil || effect.idempotencyKey.lua != nil
    }

    /// The request `request` (entry `index`, 1-based, of the `effects` of `trigger`'s transition at journal
    /// `sequence`) would send, given the instance after that step and the step's time.
    public func build(
        _ request: EffectRequest, index: Int, trigger: String, sequence: UInt64, instance: TokenInstance, time: UInt64
    ) async throws(Failure) -> BuiltEffectRequest {
        guard let effect = server.effect(named: request.name) else {
            throw Failure(.unknownEffect(request.name))
        }
        let requestID = BuiltEffectRequest.requestID(
            instance: instance.id, sequence: sequence, effect: effect.name, index: index)
        var url = effect.url
        var headers: [String: String] = [:]
        var body: String?
        var key = BuiltEffectRequest.defaultIdempotencyKey(
            instance: instance.id, trigger: trigger, sequence: sequence, effect: effect.name)

        if Self.runsLua(effect) {
            var input: [String: SandboxValue] = [
                "effect": .string(effect.name),
                "input": request.input,
                "state": .string(instance.state),
                "attributes": .object(instance.attributes),
                "computed": .array(
                    server.computed.map {
                        .array([.string($0.name), .string($0.lua.chunk(binding: ComputedAttribute.parameters))])
                    }),
            ]
            if let lua = effect.request {
                input["request"] = .string(lua.chunk(binding: ServerEffect.requestParameters))
            }
            if let lua = effect.idempotencyKey.lua {
                input["key"] = .string(lua.chunk(binding: ServerEffect.keyParameters))
            }
            let seedSource = TransitionEnvironment(seedDomain: "swift-tokenscript/effect-request/1")
            let execution = SandboxExecution(
                source: Self.prelude, input: .object(input), limits: limits,
                mode: .deterministic(
                    seed: seedSource.seed(instanceID: requestID, step: sequence), logicalTime: Int64(clamping: time)),
                hostFunctions: [.input])
            let run = await runtime.run(execution)
            guard run.status == .ok else {
                throw Failure(
                    .luaDidNotComplete(
                        effect: effect.name, status: run.status, message: run.message ?? run.limit?.rawValue ?? ""))
            }
            let result = run.value?.objectMembers ?? [:]
            if let value = result["request"], value != .null {
                guard let fields = value.objectMembers else {
                    throw Failure(.requestNotATable(effect: effect.name, value: value.jsonText))
                }
                for name in fields.keys.sorted() where !["url", "headers", "body"].contains(name) {
                    throw Failure(.unknownRequestField(effect: effect.name, field: name.string))
                }
                if let value = fields["url"] {
                    guard case .string(let text) = value else {
                        throw Failure(.urlNotAString(effect: effect.name, value: value.jsonText))
                    }
                    url = text
                }
                if let value = fields["headers"] {
                    guard let members = value.objectMembers else {
                        throw Failure(.headersNotATable(effect: effect.name))
                    }
                    // In byte order, and refusing two spellings of one name (NFC, NFD), which would
                    // otherwise merge into one Swift String key in whatever order the dictionary gives.
                    guard members.textKeyed != nil else {
                        throw Failure(.headerNamesCollide(effect: effect.name))
                    }
                    for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                        switch value {
                        case .string(let text): headers[name.string] = text
                        case .int(let number): headers[name.string] = String(number)
                        default:
                            throw Failure(
                                .headerNotAString(effect: effect.name, header: name.string, value: value.jsonText))
                        }
                    }
                }
                switch fields["body"] {
                case nil, .null?: break
                case .string(let text)?: body = text
                case let value?:
                    body = value.jsonText
                    if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
                        headers["Content-Type"] = "application/json"
                    }
                }
            }
            if let value = result["key"], value != .null {
                guard case .string(let text) = value, !text.isEmpty else {
                    throw Failure(.idempotencyKeyNotAString(effect: effect.name, value: value.jsonText))
                }
                key = text
            }
        }
        headers[effect.idempotencyKey.header] = key
        // Header injection (CR/LF, NUL, a name that is not a token, a framing header) refuses the request here,
        // where it is built; the transport checks again before sending.
        do {
            try HeaderField.validate(headers)
        } catch {
            throw Failure(.invalidHeader(effect: effect.name, message: error.description))
        }
        return BuiltEffectRequest(
            effect: effect.name, requestID: requestID, method: effect.method.rawValue,
            url: try resolve(url, effect: effect.name),
            headers: headers, body: body, timeoutMilliseconds: effect.timeout.milliseconds, idempotencyKey: key,
            idempotencyHeader: effect.idempotencyKey.header)
    }

    /// `url` with every `${env.NAME}` replaced; an unknown name is an error.
    func resolve(_ url: String, effect: String) throws(Failure) -> String {
        var result = ""
        var rest = Substring(url)
        while let start = rest.firstRange(of: "${env.") {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "}") else {
                throw Failure(.unterminatedEnvironmentReference(effect: effect, url: url))
            }
            let name = String(after[..<end])
            guard let value = environment[name] else {
                throw Failure(.missingEnvironmentValue(effect: effect, name: name))
            }
            result += value
            rest = after[after.index(after: end)...]
        }
        return result + rest
    }
}
