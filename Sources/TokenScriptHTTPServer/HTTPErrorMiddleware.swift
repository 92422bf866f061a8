import Hummingbird

/// Turns every error a route throws into the JSON error shape, so no client ever sees a plain-text body:
/// an `HTTPRefusal` as it says, what `translate` recognises (a server's domain errors) as it answers, a
/// known path asked with the wrong method as 405 with `Allow`, anything else as 500.
public struct HTTPErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Exact paths → the methods they answer.
    public let routes: [String: [HTTPRequest.Method]]
    public let translate: @Sendable (any Error) -> Response?

    public init(
        routes: [String: [HTTPRequest.Method]], translate: @escaping @Sendable (any Error) -> Response? = { _ in nil }
    ) {
        self.routes = routes
        self.translate = translate
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let refusal as HTTPRefusal {
            return HTTPJSON.error(refusal.message, code: refusal.code, field: refusal.field, status: refusal.status)
        } catch let error as HTTPError {
            let path = request.uri.path
            if error.status == .notFound, let methods = routes[path] {
                let allow = methods.map(\.rawValue).joined(separator: ", ")
                return HTTPJSON.error(
                    "method \(request.method.rawValue) not allowed on \(path) (allowed: \(allow))",
                    code: "method-not-allowed", status: .methodNotAllowed, headers: [.allow: allow])
            }
            if error.status == .notFound {
                return HTTPJSON.error(
                    "no route \(request.method.rawValue) \(path)", code: "not-found", status: .notFound)
            }
            let code = error.status == .contentTooLarge ? "body-too-large" : "http-\(error.status.code)"
            return HTTPJSON.error(error.body ?? error.status.reasonPhrase, code: code, status: error.status)
        } catch {
            if let response = translate(error) { return response }
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return HTTPJSON.error("internal error: \(error)", code: "internal", status: .internalServerError)
        }
    }
}
