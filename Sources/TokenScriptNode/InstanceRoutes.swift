import Hummingbird
import TokenScriptHTTPServer
import ServiceLifecycle
import NIOCore
import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptRuntime

/// The hosting routes of the node HTTP API (issue 11 design, "Node HTTP API") over an `InstanceHost`. Every
/// refusal is a `HostError`, answered as `{"status":"error","error":{"code","message","field"}}`.
enum InstanceRoutes {
    /// Header names, lower case (as HTTP/2 carries them; HTTP/1 names compare case-insensitively).
    static let grantHeader = "x-tokenscript-grant"
    static let granteeHeader = "x-tokenscript-grantee"

    /// Path pattern → methods, for the metrics labels and the 405 answer.
    static let routes: [String: [HTTPRequest.Method]] = [
        "/v1/scripts": [.get], "/v1/instances": [.post], "/v1/attestations": [.post], "/v1/instances/:id": [.get],
        "/v1/instances/:id/interfaces/:name": [.post], "/v1/instances/:id/actions/:name": [.post],
        "/v1/instances/:id/events": [.get], "/v1/instances/:id/wake": [.post],
    ]

    static func add(to router: Router<BasicRequestContext>, host: InstanceHost) {
        router.get("/v1/scripts") { _, _ in
            let scripts = await host.hostedScripts.map { script -> SandboxValue in
                .object([
                    "name": .string(script.name), "scriptHash": .string(script.scriptHash),
                    "triggers": .array(script.triggers.map(SandboxValue.string)),
                    "interfaces": .array(script.interfaces.map(SandboxValue.string)),
                ])
            }
            return JSONResponses.ok(["scripts": .array(scripts)])
        }
        router.post("/v1/instances") { request, _ in
            await answer(status: .created) { () async throws(HostError) -> [String: SandboxValue] in
                let object = try RequestReading.object(try await RequestReading.bytes(request))
                try RequestReading.refuseUnknown(object, known: ["script", "id", "attributes", "holder"])
                let view = try await host.create(
                    script: try RequestReading.string(object, "script", required: true)!,
                    id: try RequestReading.string(object, "id", required: false),
                    attributes: try RequestReading.members(object, "attributes"),
                    holder: try RequestReading.string(object, "holder", required: true)!)
                return view.members
            }
        }
        router.get("/v1/instances/:id") { request, context in
            await answerOrRedirect(request, context, host: host) {
                () async throws(HostError) -> [String: SandboxValue] in
                let id = try parameter(context, "id")
                var atLeast: UInt64?
                if let text = request.uri.queryParameters.get("atLeast") {
                    guard let value = UInt64(text) else {
                        throw HostError(
                            .badRequest, code: "invalid-field", "expected a whole number, got \(text)",
                            field: "atLeast")
                    }
                    atLeast = value
                }
                let (grant, grantee) = credentials(request)
                return try await host.read(id, grant: grant, grantee: grantee, atLeast: atLeast).members
            }
        }
        router.post("/v1/instances/:id/interfaces/:name") { request, context in
            do throws(HostError) {
                let (id, name) = (try parameter(context, "id"), try parameter(context, "name"))
                let bytes = try await RequestReading.bytes(request)
                var arguments: [String: SandboxValue] = [:]
                if !bytes.isEmpty {
                    let object = try RequestReading.object(bytes)
                    try RequestReading.refuseUnknown(object, known: ["arguments"])
                    arguments = try RequestReading.members(object, "arguments")
                }
                let (grant, grantee) = credentials(request)
                let answer = try await host.query(
                    id, interface: name, arguments: .object(arguments), grant: grant, grantee: grantee)
                return JSONResponses.ok(json: answer.json)
            } catch {
                return await refusal(error, request, context, host: host)
            }
        }
        router.post("/v1/instances/:id/actions/:name") { request, context in
            await answer { () async throws(HostError) -> [String: SandboxValue] in
                let (id, name) = (try parameter(context, "id"), try parameter(context, "name"))
                let body = try RequestReading.value(try await RequestReading.bytes(request))
                return submittedMembers(
                    try await host.invoke(name, on: id, request: try RequestReading.attestation(body)))
            }
        }
        // Another node of the network asks this one to bring an instance at rest back (`PeerWake`): it answers
        // as a read of the instance would, without its state (that needs a grant).
        router.post("/v1/instances/:id/wake") { _, context in
            await answer { () async throws(HostError) -> [String: SandboxValue] in
                let id = try parameter(context, "id")
                try await host.wake(id)
                return ["instance": .string(id)]
            }
        }
        router.post("/v1/attestations") { request, _ in
            await answer { () async throws(HostError) -> [String: SandboxValue] in
                let body = try RequestReading.value(try await RequestReading.bytes(request))
                guard case .array = body else {
                    return submittedMembers(try await host.submit(try RequestReading.attestation(body)))
                }
                let answers = try await host.submit(batch: try RequestReading.attestations(body))
                let failed = answers.contains { if case .failure = $0 { true } else { false } }
                return [
                    "errors": .bool(failed),
                    "attestations": .array(
                        answers.map { answer in
                            switch answer {
                            case .success(let submitted):
                                var members = submittedMembers(submitted)
                                members["status"] = .string("ok")
                                return .object(members)
                            case .failure(let error): return RequestReading.errorMembers(error)
                            }
                        }),
                ]
            }
        }
        router.get("/v1/instances/:id/events") { request, context in
            let stream: AsyncThrowingStream<InstanceStreamItem, any Error>
            do {
                let (grant, grantee) = credentials(request)
                stream = try await host.events(try parameter(context, "id"), grant: grant, grantee: grantee)
            } catch let error as HostError {
                return await refusal(error, request, context, host: host)
            } catch {
                return RequestReading.response(error)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    // Ends on SIGTERM too: an open stream must not hold the node's graceful shutdown.
                    for try await item in stream.cancelOnGracefulShutdown() {
                        switch item {
                        case .step(let event):
                            try await writer.write(
                                ByteBuffer(string: "event: step\ndata: \(event.value.jsonText)\n\n"))
                        case .keepalive:
                            try await writer.write(ByteBuffer(string: ": keepalive\n\n"))
                        case .grantExpired:
                            try await writer.write(
                                ByteBuffer(string: "event: end\ndata: {\"reason\":\"grant-expired\"}\n\n"))
                        }
                    }
                    try await writer.finish(nil)
                })
        }
    }

    private static func credentials(_ request: Request) -> (grant: String?, grantee: String?) {
        func header(_ name: String) -> String? {
            request.headers.first { $0.name.canonicalName == name }?.value
        }
        return (header(grantHeader), header(granteeHeader))
    }

    private static func parameter(_ context: BasicRequestContext, _ name: String) throws(HostError) -> String {
        guard let value = context.parameters.get(name) else {
            throw HostError(.badRequest, code: "missing-field", "missing path parameter", field: name)
        }
        return value
    }

    /// Where a submitted attestation was logged and the hosted instances it reaches.
    private static func submittedMembers(_ submitted: SubmittedAttestation) -> [String: SandboxValue] {
        [
            "topic": .string(submitted.topic), "position": .int(Int64(clamping: submitted.position)),
            "alreadyLogged": .bool(submitted.alreadyLogged),
            "instances": .array(submitted.instances.map(SandboxValue.string)),
        ]
    }

    /// `answer`, with a read of an instance hosted elsewhere redirected (`refusal`).
    private static func answerOrRedirect(
        _ request: Request, _ context: BasicRequestContext, host: InstanceHost,
        _ body: () async throws(HostError) -> [String: SandboxValue]
    ) async -> Response {
        do { return JSONResponses.ok(try await body()) } catch {
            return await refusal(error, request, context, host: host)
        }
    }

    /// The answer to a refused read. In a network, a read of an instance this node does not host is answered
    /// 307 with `Location` on a healthy host of it, picked at random (`InstanceHost.readElsewhere`), so reads may
    /// be sent to any node; every other refusal, and an instance no node hosts, as `RequestReading.response`.
    private static func refusal(
        _ error: HostError, _ request: Request, _ context: BasicRequestContext, host: InstanceHost
    ) async -> Response {
        guard error.code == "unknown-instance", let id = context.parameters.get("id"),
            let url = await host.readElsewhere(id)
        else { return RequestReading.response(error) }
        let location = url + request.uri.description
        var response = HTTPJSON.error(
            "\(id) is hosted elsewhere: read it at \(location)", code: "hosted-elsewhere", status: .temporaryRedirect)
        response.headers[.location] = location
        return response
    }

    /// Runs `body` and answers its members with `"status":"ok"`, or its refusal.
    private static func answer(
        status: HTTPResponse.Status = .ok, _ body: () async throws(HostError) -> [String: SandboxValue]
    ) async -> Response {
        do { return JSONResponses.ok(try await body(), status: status) } catch { return RequestReading.response(error) }
    }
}

extension InstanceView {
    /// The members of the instance answer.
    var members: [String: SandboxValue] {
        guard case .object(let members) = value else { return [:] }
        var result: [String: SandboxValue] = [:]
        for (key, member) in members { result[key.description] = member }
        return result
    }
}
