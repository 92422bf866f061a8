import Hummingbird
import NIOCore
import TokenScriptRuntime

/// The node's answers built from script values: `HTTPJSON` (TokenScriptHTTPServer) answers everything else.
enum JSONResponses {
    /// `members` with `"status": "ok"`, in the package's canonical JSON (keys sorted by their bytes).
    static func ok(_ members: [String: SandboxValue], status: HTTPResponse.Status = .ok) -> Response {
        var members = members
        members["status"] = .string("ok")
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: SandboxValue.object(members).jsonText)))
    }
}
