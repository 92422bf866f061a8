import Foundation
import TokenScriptHTTPClient

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP exchange for the tests, with a deadline: the status (nil when none came) and the body.
enum TestHTTP {
    struct Answer {
        var status: Int?
        var body: String
        var timedOut: Bool
    }

    static func send(
        _ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:],
        deadline: Double = 10
    ) async -> Answer {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        switch await BoundedHTTPSession().send(request, deadline: deadline, maximumBytes: 1 << 20) {
        case .response(let status, let data):
            return Answer(status: status, body: String(decoding: data, as: UTF8.self), timedOut: false)
        case .timedOut: return Answer(status: nil, body: "", timedOut: true)
        case .oversized: return Answer(status: nil, body: "oversized", timedOut: false)
        case .failed(let failure): return Answer(status: nil, body: failure.description, timedOut: false)
        case .cancelled: return Answer(status: nil, body: "cancelled", timedOut: false)
        }
    }
}
