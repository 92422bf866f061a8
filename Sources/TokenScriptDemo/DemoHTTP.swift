import Foundation
import TokenScriptHTTPClient
import TokenScriptJSON

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The demo's client of the node API: one JSON exchange with a deadline, the answer read strictly.
enum DemoHTTP {
    struct Answer: Sendable {
        /// nil when no answer came.
        var status: Int?
        /// The body as JSON, nil when it was not.
        var json: JSONValue?
        /// The body as text, or why there is none.
        var text: String

        /// `member` of the answer's object as a string.
        func string(_ member: String) -> String? { json?[JSONKey(member)]?.stringValue }

        /// `status text` for narration and failures.
        var summary: String { "\(status.map(String.init) ?? "no answer"): \(text.prefix(300))" }
    }

    static func send(
        _ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:], deadline: Double = 10
    ) async -> Answer {
        guard let target = URL(string: url) else { return Answer(status: nil, json: nil, text: "not a URL: \(url)") }
        var request = URLRequest(url: target)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        switch await BoundedHTTPSession().send(request, deadline: deadline, maximumBytes: 1 << 20) {
        case .response(let status, let data):
            let text = String(decoding: data, as: UTF8.self)
            return Answer(status: status, json: try? JSONValue(parsing: Array(data)), text: text)
        case .timedOut: return Answer(status: nil, json: nil, text: "no answer within \(deadline) s")
        case .oversized(let limit, _): return Answer(status: nil, json: nil, text: "answer over \(limit) bytes")
        case .failed(let failure): return Answer(status: nil, json: nil, text: failure.description)
        case .cancelled: return Answer(status: nil, json: nil, text: "cancelled")
        }
    }
}
