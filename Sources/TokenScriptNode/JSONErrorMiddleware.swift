import Hummingbird

/// Turns every error a route throws (Hummingbird's own 404 among them) into the JSON error shape, and a
/// known path asked with the wrong method into 405 with `Allow`, so no client ever sees a plain-text body.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The node's routes: path → the methods it answers.
    let routes: [String: [HTTPRequest.Method]]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let path = request.uri.path
            if error.status == .notFound, let methods = routes[path] {
                let allow = methods.map(\.rawValue).joined(separator: ", ")
                return JSONResponses.error(
                    "method \(request.method.rawValue) not allowed on \(path) (allowed: \(allow))",
                    status: .methodNotAllowed, headers: [.allow: allow])
            }
            if error.status == .notFound {
                return JSONResponses.error("no route \(request.method.rawValue) \(path)", status: .notFound)
            }
            return JSONResponses.error(error.body ?? error.status.reasonPhrase, status: error.status)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return JSONResponses.error("internal error: \(error)", status: .internalServerError)
        }
    }
}
