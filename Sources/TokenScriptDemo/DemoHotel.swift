import TokenScriptJSON

/// The demo's hotel: books once per idempotency key, whatever the retries, and can be told to misbehave for the
/// first calls of a key so the flight ticket's retries and the anchoring node's routed call have something to do.
///
/// The bookings live in this actor; `DemoHotelRouter` puts it on HTTP. A call is decided before any waiting, so
/// two concurrent calls with one key still make one booking.
public actor DemoHotel {
    /// What the hotel does instead of answering at once.
    public enum Fault: Sendable, Hashable {
        /// Hangs for `seconds`, then answers 504 having booked nothing (the client has long given up).
        case timeout(seconds: Double)
        /// Books, but answers only after `seconds`: the booking exists though the client never saw it.
        case slow(seconds: Double)
        /// Answers `status` with an error body, booking nothing.
        case status(Int)
    }

    /// `fault` for the first `calls` calls of a key.
    public struct FaultPlan: Sendable, Hashable {
        public var fault: Fault
        public var calls: Int

        public init(fault: Fault, calls: Int) {
            self.fault = fault
            self.calls = calls
        }
    }

    /// One booking: made by the first successful call with its key.
    public struct Booking: Sendable, Hashable {
        public var id: String
        public var idempotencyKey: String
        /// The request body that made it (a JSON object), compared by value with every later call under the key.
        public var request: JSONValue
    }

    /// How one call is answered.
    public enum Decision: Sendable, Equatable {
        /// 201 for the call that booked, 200 for a repeat; after `delay` seconds.
        case booked(Booking, created: Bool, delay: Double)
        /// An error status, nothing booked, after `delay` seconds.
        case refused(status: Int, code: String, message: String, delay: Double)
    }

    /// A key's history, for `GET /stats` and the tests.
    public struct KeyStats: Sendable, Hashable {
        public var key: String
        public var calls: Int
        public var booking: String?

        public init(key: String, calls: Int, booking: String?) {
            self.key = key
            self.calls = calls
            self.booking = booking
        }
    }

    // Keyed by the key's bytes: Swift `String` equality is Unicode-canonical, and two keys that differ only in
    // normalisation are two keys to an API, so merging them would hide a double booking.
    private var calls: [[UInt8]: Int] = [:]
    private var bookings: [[UInt8]: Booking] = [:]
    private var plans: [[UInt8]: FaultPlan] = [:]
    private var planForEveryKey: FaultPlan?

    public init() {}

    /// Misbehave for the first calls of `key` (every key without its own plan when `key` is nil).
    public func inject(_ plan: FaultPlan, forKey key: String?) {
        if let key { plans[Array(key.utf8)] = plan } else { planForEveryKey = plan }
    }

    /// Decides one call: counts it, applies the key's fault plan, books at most once per key.
    public func call(key text: String, request: JSONValue) -> Decision {
        let key = Array(text.utf8)
        let number = (calls[key] ?? 0) + 1
        calls[key] = number
        var delay = 0.0
        if let plan = plans[key] ?? planForEveryKey, number <= plan.calls {
            switch plan.fault {
            case .timeout(let seconds):
                return .refused(
                    status: 504, code: "injected-timeout", message: "call \(number) for this key hung", delay: seconds)
            case .status(let status):
                return .refused(
                    status: status, code: "injected-failure", message: "call \(number) for this key failed",
                    delay: 0)
            case .slow(let seconds):
                delay = seconds
            }
        }
        if let existing = bookings[key] {
            guard existing.request == request else {
                return .refused(
                    status: 422, code: "idempotency-key-reused",
                    message: "key \(text) was used for booking \(existing.id) with another body", delay: delay)
            }
            return .booked(existing, created: false, delay: delay)
        }
        let booking = Booking(id: "H-\(bookings.count + 1)", idempotencyKey: text, request: request)
        bookings[key] = booking
        return .booked(booking, created: true, delay: delay)
    }

    /// Distinct bookings: one per key that booked.
    public var bookingCount: Int { bookings.count }
    /// Every call, whatever it was answered.
    public var callCount: Int { calls.values.reduce(0, +) }
    /// The booking made under `key`, if any.
    public func booking(forKey key: String) -> Booking? { bookings[Array(key.utf8)] }
    /// Calls and booking per key, by key.
    public var keyStats: [KeyStats] {
        calls.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key in
            KeyStats(key: String(decoding: key, as: UTF8.self), calls: calls[key] ?? 0, booking: bookings[key]?.id)
        }
    }
}
