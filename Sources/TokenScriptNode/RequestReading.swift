import Hummingbird
import TokenScriptAttestation
import TokenScriptHTTPServer
import NIOCore
import TokenScriptJSON
import TokenScriptRuntime

/// Reads request bodies: capped at `maximumBytes` (413 above it, read no further) and parsed by the package's
/// strict JSON reader (400 naming line, column and the path where it stopped), before anything is changed.
enum RequestReading {
    static let maximumBytes = 1 << 20

    /// The body's bytes, at most `maximumBytes`.
    static func bytes(_ request: Request) async throws(HostError) -> [UInt8] {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maximumBytes) } catch {
            throw HostError(.tooLarge, code: "body-too-large", "the body is over \(maximumBytes) bytes")
        }
        return Array(buffer.readableBytesView)
    }

    /// The body as JSON.
    static func value(_ bytes: [UInt8]) throws(HostError) -> JSONValue {
        do throws(JSONReadError) { return try JSONValue(parsing: bytes) } catch {
            throw HostError(
                .badRequest, code: "malformed-json", "line \(error.line), column \(error.column): \(error.reason)",
                field: error.path.description)
        }
    }

    /// The body as one JSON object.
    static func object(_ bytes: [UInt8]) throws(HostError) -> [JSONKey: JSONValue] {
        try object(try value(bytes))
    }

    /// A parsed body as one JSON object.
    static func object(_ value: JSONValue) throws(HostError) -> [JSONKey: JSONValue] {
        guard let object = value.objectValue else {
            throw HostError(.badRequest, code: "invalid-field", "expected a JSON object, got \(value.kind)")
        }
        return object
    }

    /// A parsed body as one attestation in its wire form (400 naming the field).
    static func attestation(_ value: JSONValue) throws(HostError) -> Attestation {
        _ = try object(value)
        do throws(AttestationDecodingError) { return try Attestation(wire: try AttestationValue(json: value)) } catch {
            throw HostError(.badRequest, code: "invalid-field", error.reason, field: error.field)
        }
    }

    /// A parsed array body as a batch of attestations (400 naming the element and its field).
    static func attestations(_ value: JSONValue) throws(HostError) -> [Attestation] {
        do throws(AttestationDecodingError) { return try AttestationBatch.attestations(value) } catch {
            throw HostError(
                .badRequest, code: "invalid-field", error.reason, field: error.field.isEmpty ? nil : error.field)
        }
    }

    /// Refuses members other than `known`, naming the first one.
    static func refuseUnknown(_ object: [JSONKey: JSONValue], known: Set<String>) throws(HostError) {
        if let unknown = object.keys.map(\.description).sorted().first(where: { !known.contains($0) }) {
            throw HostError(.badRequest, code: "unknown-field", "unknown field", field: unknown)
        }
    }

    static func string(_ object: [JSONKey: JSONValue], _ name: String, required: Bool) throws(HostError) -> String? {
        guard let value = object[JSONKey(name)] else {
            if required { throw HostError(.badRequest, code: "missing-field", "required", field: name) }
            return nil
        }
        guard let text = value.stringValue else {
            throw HostError(.badRequest, code: "invalid-field", "expected a string, got \(value.kind)", field: name)
        }
        return text
    }

    static func members(_ object: [JSONKey: JSONValue], _ name: String) throws(HostError) -> [String: SandboxValue] {
        guard let value = object[JSONKey(name)] else { return [:] }
        guard let members = value.objectValue else {
            throw HostError(.badRequest, code: "invalid-field", "expected an object, got \(value.kind)", field: name)
        }
        var result: [String: SandboxValue] = [:]
        for (key, member) in members { result[key.description] = SandboxValue(member) }
        return result
    }

    /// The error as the node's JSON error answer (anything but a `HostError` is a 500).
    static func response(_ error: any Error) -> Response {
        let error = error as? HostError ?? HostError.internalError("\(error)")
        return HTTPJSON.error(
            error.message, code: error.code, field: error.field, position: error.position, status: status(of: error))
    }

    /// One element's refusal inside a batch answer: its HTTP status as a number and the usual error members.
    static func errorMembers(_ error: HostError) -> SandboxValue {
        var detail: [String: SandboxValue] = ["code": .string(error.code), "message": .string(error.message)]
        if let field = error.field { detail["field"] = .string(field) }
        return .object([
            "status": .string("error"), "httpStatus": .int(Int64(status(of: error).code)), "error": .object(detail),
        ])
    }

    static func status(of error: HostError) -> HTTPResponse.Status {
        switch error.kind {
        case .badRequest: .badRequest
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .gone: .gone
        case .tooLarge: .contentTooLarge
        case .unprocessable: .unprocessableContent
        case .internalError: .internalServerError
        }
    }
}
