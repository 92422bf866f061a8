import Foundation
import TokenScriptEgress

#if canImport(Glibc)
    import Glibc
#endif

/// Resolves a host name once, with `getaddrinfo`, so the caller can check every address and then connect
/// to exactly those (`PinnedHTTPClient`): the egress policy's defence against DNS rebinding.
public enum HostResolver {
    /// Every distinct address of `name`, in the resolver's order; a failure reads like `HTTPFailure`'s.
    /// Gives up waiting after `deadline` seconds (the lookup thread finishes on its own).
    public static func resolve(_ name: String, port: Int, deadline seconds: Double) async -> Result<
        [IPAddress], HTTPFailure
    > {
        let endpoint = "\(name):\(port)"
        let once = ResumeOnce<Result<[IPAddress], HTTPFailure>>()
        return await withCheckedContinuation { continuation in
            once.set(continuation)
            Thread.detachNewThread { once.resume(with: lookUp(name, endpoint: endpoint)) }
            DispatchQueue.global().asyncAfter(deadline: .now() + HTTPDeadline.clamped(seconds)) {
                once.resume(
                    with: .failure(HTTPFailure(endpoint: endpoint, reason: "name lookup timed out", isTimeout: true)))
            }
        }
    }

    static func lookUp(_ name: String, endpoint: String) -> Result<[IPAddress], HTTPFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0 else {
            let reason = status == EAI_NONAME ? "host not found" : String(cString: gai_strerror(status))
            return .failure(HTTPFailure(endpoint: endpoint, reason: reason, isTimeout: false))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let current = entry {
            if let address = current.pointee.ai_addr.flatMap({ IPAddress(socketAddress: UnsafePointer($0)) }),
                !addresses.contains(address)
            {
                addresses.append(address)
            }
            entry = current.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            return .failure(HTTPFailure(endpoint: endpoint, reason: "host not found", isTimeout: false))
        }
        return .success(addresses)
    }
}

extension IPAddress {
    /// The address of an `AF_INET` or `AF_INET6` socket address.
    init?(socketAddress: UnsafePointer<sockaddr>) {
        switch Int32(socketAddress.pointee.sa_family) {
        case AF_INET:
            let bytes = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
            }
            self.init(bytes: bytes)
        case AF_INET6:
            let bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
            }
            self.init(bytes: bytes)
        default:
            return nil
        }
    }
}

/// A continuation resumed by whichever of several racers comes first (an answer, a deadline, a cancel).
final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Never>?
    private var early: Value?
    private var done = false

    func set(_ continuation: CheckedContinuation<Value, Never>) {
        let value: Value? = lock.withLock {
            if let early { return early }
            self.continuation = continuation
            return nil
        }
        if let value { continuation.resume(returning: value) }
    }

    /// Resumes the waiter unless someone already did; says whether this call did.
    @discardableResult
    func resume(with value: Value) -> Bool {
        let waiting: CheckedContinuation<Value, Never>?? = lock.withLock {
            guard !done else { return .none }
            done = true
            guard let continuation else {
                early = value
                return .some(nil)
            }
            self.continuation = nil
            return .some(continuation)
        }
        switch waiting {
        case .none: return false
        case .some(let continuation):
            continuation?.resume(returning: value)
            return true
        }
    }
}
