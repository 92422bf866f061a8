import CTokenScriptCurl
import Foundation
import TokenScriptEgress

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP request to be sent to addresses already checked: the connection goes to one of `addresses`,
/// while the Host header, TLS SNI and certificate check use the URL's host name.
public struct PinnedHTTPRequest: Sendable {
    public var method: String
    /// The URL rebuilt from checked parts (`EgressURL.canonical`).
    public var url: EgressURL
    /// Where to connect, in order of preference; nothing else is ever connected to.
    public var addresses: [IPAddress]
    /// Already validated (`HeaderField`), sent in this order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(
        method: String, url: EgressURL, addresses: [IPAddress], headers: [(name: String, value: String)], body: [UInt8]?
    ) {
        self.method = method
        self.url = url
        self.addresses = addresses
        self.headers = headers
        self.body = body
    }
}

/// Sends `PinnedHTTPRequest`s with libcurl, the only module that touches it, with the same deadline and
/// body cap as `BoundedHTTPSession` (whose URLSession cannot be told which address to connect to).
///
/// The pin is `CURLOPT_RESOLVE` (host:port → the checked addresses, so curl never looks the name up), and
/// the open-socket callback refuses any address not in the checked set, whatever curl's own URL parser or
/// a proxy variable might make of the request. Redirects are not followed, only `http` and `https` are
/// spoken, environment proxies are ignored, and each request uses a fresh handle (no connection reuse
/// across differently checked requests). The transfer runs on its own thread; the deadline is curl's
/// `CURLOPT_TIMEOUT_MS` and cancellation is checked from the progress callback.
public enum PinnedHTTPClient {
    private static let initialised: Bool = curl_global_init(3 /* CURL_GLOBAL_ALL */) == CURLE_OK

    public static func send(_ request: PinnedHTTPRequest, deadline seconds: Double, maximumBytes: Int) async
        -> HTTPExchange
    {
        let transfer = Transfer(request: request, limit: maximumBytes, deadline: seconds)
        let once = ResumeOnce<HTTPExchange>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                once.set(continuation)
                Thread.detachNewThread { once.resume(with: transfer.run()) }
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    /// One transfer's state, shared with curl's callbacks through their user pointer.
    final class Transfer: @unchecked Sendable {
        let request: PinnedHTTPRequest
        let limit: Int
        let deadline: Double
        private let lock = NSLock()
        private var cancelled = false
        var body: [UInt8] = []
        var overLimit = false
        var refusedAddress: String?

        init(request: PinnedHTTPRequest, limit: Int, deadline: Double) {
            self.request = request
            self.limit = limit
            self.deadline = deadline
        }

        func cancel() { lock.withLock { cancelled = true } }
        var isCancelled: Bool { lock.withLock { cancelled } }

        var endpoint: String { "\(request.url.host):\(request.url.port)" }

        func run() -> HTTPExchange {
            guard PinnedHTTPClient.initialised, let handle = curl_easy_init() else {
                return .failed(HTTPFailure(endpoint: endpoint, reason: "libcurl did not initialise", isTimeout: false))
            }
            defer { curl_easy_cleanup(handle) }
            var lists: [UnsafeMutablePointer<curl_slist>?] = []
            defer { lists.forEach { curl_slist_free_all($0) } }
            func list(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
                var list: UnsafeMutablePointer<curl_slist>?
                for item in items { list = curl_slist_append(list, item) }
                lists.append(list)
                return list
            }
            let url = request.url
            let milliseconds = Int((HTTPDeadline.clamped(deadline) * 1000).rounded(.up))
            let context = Unmanaged.passUnretained(self).toOpaque()
            var problems: [CURLcode] = []
            func set(_ code: CURLcode) { if code != CURLE_OK { problems.append(code) } }

            set(tokenscript_curl_set_pointer(handle, CURLOPT_URL, url.canonical))
            set(tokenscript_curl_set_pointer(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
            set(tokenscript_curl_set_pointer(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
            set(tokenscript_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0))
            set(tokenscript_curl_set_pointer(handle, CURLOPT_PROXY, ""))
            set(tokenscript_curl_set_long(handle, CURLOPT_NOSIGNAL, 1))
            set(tokenscript_curl_set_long(handle, CURLOPT_FORBID_REUSE, 1))
            set(tokenscript_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds))
            set(tokenscript_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds))
            set(tokenscript_curl_set_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limit)))
            if case .name(let name) = url.host {
                let addresses = request.addresses.map { $0.isV6 ? "[\($0)]" : "\($0)" }.joined(separator: ",")
                set(tokenscript_curl_set_pointer(handle, CURLOPT_RESOLVE, list(["\(name):\(url.port):\(addresses)"])))
                // Only the families of the checked addresses: libcurl resolves `localhost` itself to ::1 as well
                // (RFC 6761) and tries it first; the socket callback refuses it, and under load the fallback to
                // the checked 127.0.0.1 was seen to stall until the deadline.
                let families = Set(request.addresses.map(\.isV6))
                if families.count == 1, let isV6 = families.first {
                    set(tokenscript_curl_set_long(handle, CURLOPT_IPRESOLVE, isV6 ? 2 : 1))  // CURL_IPRESOLVE_V6 : _V4
                }
            }
            set(
                tokenscript_curl_set_open_socket(
                    handle,
                    { context, _, address in
                        guard let context, let address else { return CURL_SOCKET_BAD }
                        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                        var bytes = [UInt8](repeating: 0, count: 16)
                        let count = Int(tokenscript_curl_address_bytes(address, &bytes))
                        guard let target = IPAddress(bytes: Array(bytes.prefix(count))),
                            transfer.request.addresses.contains(target)
                        else {
                            transfer.refusedAddress =
                                IPAddress(bytes: Array(bytes.prefix(count)))?.description ?? "an unknown address family"
                            return CURL_SOCKET_BAD
                        }
                        return socket(address.pointee.family, address.pointee.socktype, address.pointee.protocol)
                    }))
            set(tokenscript_curl_set_pointer(handle, CURLOPT_OPENSOCKETDATA, context))
            set(
                tokenscript_curl_set_write(
                    handle,
                    { data, size, count, context in
                        guard let context else { return 0 }
                        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
                        let length = size * count
                        if let data, length > 0 {
                            data.withMemoryRebound(to: UInt8.self, capacity: length) {
                                transfer.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
                            }
                        }
                        if transfer.body.count > transfer.limit {
                            transfer.overLimit = true
                            return 0
                        }
                        return length
                    }))
            set(tokenscript_curl_set_pointer(handle, CURLOPT_WRITEDATA, context))
            set(tokenscript_curl_set_long(handle, CURLOPT_NOPROGRESS, 0))
            set(
                tokenscript_curl_set_progress(
                    handle,
                    { context, _, _, _, _ in
                        guard let context else { return 1 }
                        return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
                    }))
            set(tokenscript_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context))

            var headerLines = request.headers.map { "\($0.name): \($0.value)" }
            // No "100 Continue" wait, and no content type the request did not ask for.
            headerLines.append("Expect:")
            if !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headerLines.append("Content-Type:")
            }
            set(tokenscript_curl_set_pointer(handle, CURLOPT_HTTPHEADER, list(headerLines)))
            let requestBody = request.body ?? []
            switch request.method {
            case "GET" where requestBody.isEmpty:
                set(tokenscript_curl_set_long(handle, CURLOPT_HTTPGET, 1))
            default:
                set(tokenscript_curl_set_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(requestBody.count)))
                if requestBody.isEmpty {
                    set(tokenscript_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, ""))
                } else {
                    requestBody.withUnsafeBytes {
                        set(tokenscript_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress))
                    }
                }
                if request.method != "POST" {
                    set(tokenscript_curl_set_pointer(handle, CURLOPT_CUSTOMREQUEST, request.method))
                }
            }
            guard problems.isEmpty else {
                return .failed(
                    HTTPFailure(
                        endpoint: endpoint,
                        reason: "libcurl refused an option: \(String(cString: curl_easy_strerror(problems[0])))",
                        isTimeout: false))
            }
            if isCancelled { return .cancelled }

            let code = curl_easy_perform(handle)
            var status = 0
            _ = tokenscript_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
            switch code {
            case CURLE_OK:
                return .response(status: status == 0 ? nil : status, body: Data(body))
            case CURLE_OPERATION_TIMEDOUT:
                return .timedOut
            case CURLE_FILESIZE_EXCEEDED:
                var declared: curl_off_t = -1
                _ = tokenscript_curl_get_offset(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared)
                return .oversized(limit: limit, declared: declared >= 0 ? Int64(declared) : nil)
            case CURLE_WRITE_ERROR where overLimit:
                return .oversized(limit: limit, declared: nil)
            case CURLE_ABORTED_BY_CALLBACK where isCancelled:
                return .cancelled
            case CURLE_COULDNT_CONNECT where refusedAddress != nil:
                return .failed(
                    HTTPFailure(
                        endpoint: endpoint, reason: "refused to connect to \(refusedAddress!), which was not checked",
                        isTimeout: false))
            default:
                return .failed(HTTPFailure(endpoint: endpoint, reason: Self.reason(code), isTimeout: false))
            }
        }

        static func reason(_ code: CURLcode) -> String {
            switch code {
            case CURLE_COULDNT_CONNECT: "connection refused"
            case CURLE_COULDNT_RESOLVE_HOST: "host not found"
            case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE: "connection lost"
            case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM,
                CURLE_SSL_CACERT_BADFILE:
                "TLS failure: \(String(cString: curl_easy_strerror(code)))"
            case CURLE_WEIRD_SERVER_REPLY: "bad server response"
            default: String(cString: curl_easy_strerror(code))
            }
        }
    }
}
