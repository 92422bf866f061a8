import Foundation
import Hummingbird
import NIOCore
import TokenScriptRuntime

/// The node's JSON bodies: sorted keys, so two nodes answer byte for byte alike, and the CLI's error shape
/// `{"status": "error", "error": {"message": …}}` for every refusal.
enum JSONResponses {
    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: String?
            var message: String
            var field: String?
            var position: UInt64?
        }
        var status = "error"
        var error: Detail
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(
        _ message: String, status: HTTPResponse.Status, code: String? = nil, field: String? = nil,
        position: UInt64? = nil, headers: HTTPFields = [:]
    ) -> Response {
        let detail = ErrorBody.Detail(code: code, message: message, field: field, position: position)
        var response = json(ErrorBody(error: detail), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// `members` with `"status": "ok"`, in the package's canonical JSON (keys sorted by their bytes).
    static func ok(_ members: [String: SandboxValue], status: HTTPResponse.Status = .ok) -> Response {
        var members = members
        members["status"] = .string("ok")
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: SandboxValue.object(members).jsonText)))
    }
}
