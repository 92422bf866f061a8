import Hummingbird
import NIOCore
import TokenScriptJSON

/// The demo services' JSON answers, in the node's shape: one object with `"status"`, errors as
/// `{"status": "error", "error": {"code", "message", "field"?}}`, keys sorted by the canonical writer.
enum DemoResponses {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let text = (try? JSONWriter.canonicalString(value)) ?? "{\"status\":\"error\"}"
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ code: String, _ message: String, field: String? = nil, status: HTTPResponse.Status)
        -> Response
    {
        var detail: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let field { detail["field"] = .string(field) }
        return json(.object(["status": "error", "error": .object(detail)]), status: status)
    }

    /// The request body read whole, refused over `limit` bytes, parsed strictly.
    static func body(_ request: Request, limit: Int = 1 << 20) async throws -> JSONValue {
        let buffer = try await request.body.collect(upTo: limit)
        return try JSONValue(parsing: buffer.readableBytesView)
    }
}
