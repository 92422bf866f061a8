import Foundation
import Hummingbird
import NIOCore

/// JSON answers with sorted keys (two servers answer byte for byte alike) and the one error shape,
/// `{"status": "error", "error": {"code", "message", "field"?}}`.
public enum HTTPJSON {
    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?
            /// A journal position, where the refusal is about one (`atLeast` not reached yet).
            var position: UInt64?
        }
        var status = "error"
        var error: Detail
    }

    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    public static func error(
        _ message: String, code: String, field: String? = nil, position: UInt64? = nil, status: HTTPResponse.Status,
        headers: HTTPFields = [:]
    ) -> Response {
        let detail = ErrorBody.Detail(code: code, message: message, field: field, position: position)
        var response = json(ErrorBody(error: detail), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// A refusal a route throws: the status, a kebab-case code, the message and the field at fault.
public struct HTTPRefusal: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// The request body, refused with 413 beyond `limit` bytes.
    public static func body(of request: Request, limit: Int = 1 << 20) async throws -> [UInt8] {
        do {
            return Array(buffer: try await request.body.collect(upTo: limit))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPRefusal(.contentTooLarge, code: "body-too-large", "the body is over \(limit) bytes")
        } catch is NIOTooManyBytesError {
            throw HTTPRefusal(.contentTooLarge, code: "body-too-large", "the body is over \(limit) bytes")
        }
    }
}
