import Foundation
import Hummingbird
import NIOCore

/// The node's JSON bodies: sorted keys, so two nodes answer byte for byte alike, and the CLI's error shape
/// `{"status": "error", "error": {"message": …}}` for every refusal.
enum JSONResponses {
    struct ErrorBody: Encodable {
        struct Detail: Encodable { var message: String }
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

    static func error(_ message: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var response = json(ErrorBody(error: .init(message: message)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}
