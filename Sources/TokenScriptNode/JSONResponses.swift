import Hummingbird
import NIOCore
import TokenScriptRuntime

/// The node's answers built from script values: `HTTPJSON` (TokenScriptHTTPServer) answers everything else.
enum JSONResponses {
    /// `members` with `"status": "ok"`, in the package's canonical JSON (keys sorted by their bytes).
    static func ok(_ members: [String: SandboxValue], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body(members))))
    }

    /// An answer whose body was encoded already (`body(_:)`), e.g. a cached interface answer.
    static func ok(json: some Collection<UInt8>, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    /// The body of an ok answer: `members` with `"status": "ok"`, canonical JSON.
    static func body(_ members: [String: SandboxValue]) -> String {
        var members = members
        members["status"] = .string("ok")
        return SandboxValue.object(members).jsonText
    }
}
