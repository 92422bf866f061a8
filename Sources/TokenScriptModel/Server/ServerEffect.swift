import TokenScriptArithmetic

/// `sl:effect`: a call to an external web API that a transition may request.
///
/// The call runs outside the transition, after it is journaled; its outcome comes back as an event of
/// topic `effect/<name>` and type `success`, `timeout`, `error` or `failed`, which `sl:on-effect` triggers
/// match. Retries reuse one idempotency key, so the API sees a repeated call as the same call.
public struct ServerEffect: Sendable, Hashable, Codable {
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable {
        case GET, POST, PUT, PATCH, DELETE
    }

    public var name: String
    public var method: Method
    /// `url=` as written; `${env.NAME}` stands for the value of `ts:meta/ts:env name="NAME"`.
    public var url: String
    /// `timeout=`: how long one attempt may take.
    public var timeout: ISODuration
    /// `sl:request`: Lua `(input, attributes) → {url=?, headers={…}, body=…}`; nil sends no body and no headers.
    public var request: LuaSource?
    /// `sl:retry`; without it, one attempt only.
    public var retry: RetryPolicy
    public var idempotencyKey: IdempotencyKey
    /// `sl:fallback anchor="true"`: after the last retry fails, ask an anchoring node to route the call once;
    /// if that fails too, the node signs a `failed` outcome.
    public var anchorFallback: Bool
    public var location: SourceLocation?

    public init(
        name: String, method: Method, url: String, timeout: ISODuration, request: LuaSource? = nil,
        retry: RetryPolicy = .none, idempotencyKey: IdempotencyKey = .init(), anchorFallback: Bool = false,
        location: SourceLocation? = nil
    ) {
        self.name = name
        self.method = method
        self.url = url
        self.timeout = timeout
        self.request = request
        self.retry = retry
        self.idempotencyKey = idempotencyKey
        self.anchorFallback = anchorFallback
        self.location = location
    }

    /// The topic of this effect's outcome events.
    public var outcomeTopic: String { "effect/" + name }

    /// The names `${env.NAME}` references in `url`, in order.
    public var environmentReferences: [String] {
        var names: [String] = []
        var rest = Substring(url)
        while let start = rest.firstRange(of: "${env.") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "}") else { break }
            names.append(String(after[..<end]))
            rest = after[after.index(after: end)...]
        }
        return names
    }

    /// The names the request chunk's arguments are bound to.
    public static let requestParameters = ["input", "attributes"]
    /// The names the idempotency-key chunk's arguments are bound to.
    public static let keyParameters = ["input", "attributes"]
}

/// `sl:retry retries= backoff= initial= max=`: how often to try again after a timeout, a connection error,
/// a 5xx or a 429, and how long to wait. Other statuses are final at once.
public struct RetryPolicy: Sendable, Hashable, Codable {
    public enum Backoff: String, Sendable, Hashable, Codable, CaseIterable {
        /// Wait `initial` before every retry.
        case fixed
        /// Wait `initial`, then twice as long each time, never more than `max`.
        case exponential
    }

    /// Retries after the first attempt (0: one attempt in all).
    public var retries: Int
    public var backoff: Backoff
    public var initial: ISODuration
    /// The longest wait; nil means no cap.
    public var maximum: ISODuration?

    public init(
        retries: Int, backoff: Backoff = .exponential, initial: ISODuration = .seconds(1), maximum: ISODuration? = nil
    ) {
        self.retries = retries
        self.backoff = backoff
        self.initial = initial
        self.maximum = maximum
    }

    public static let none = RetryPolicy(retries: 0, backoff: .fixed)

    /// The most retries `sl:retry retries=` may ask for.
    public static let maximumRetries = 100

    /// The wait in milliseconds before retry number `retry` (1-based). No jitter: the schedule is deterministic.
    public func delayMilliseconds(beforeRetry retry: Int) -> Int64 {
        var delay = initial.milliseconds
        if backoff == .exponential {
            for _ in 1..<max(retry, 1) {
                let (doubled, overflow) = delay.multipliedReportingOverflow(by: 2)
                delay = overflow ? Int64.max : doubled
                if let maximum, delay >= maximum.milliseconds { break }
            }
        }
        if let maximum { delay = min(delay, maximum.milliseconds) }
        // Without `max=`, 100 doublings would reach Int64.max; no wait is longer than the longest duration.
        return min(max(delay, 0), ISODuration.maximumMilliseconds)
    }
}

/// `sl:idempotency-key`: the key sent with every attempt of one effect request.
public struct IdempotencyKey: Sendable, Hashable, Codable {
    /// `header=`: the request header carrying the key.
    public var header: String
    /// Lua `(input, attributes) → string`; nil uses the default key `<instance>/<trigger>/<sequence>/<effect>`:
    /// the token instance id, the trigger whose transition requested the effect, that transition's journal
    /// sequence number, and the effect name. It is the same on every retry and on replay.
    public var lua: LuaSource?

    public init(header: String = "Idempotency-Key", lua: LuaSource? = nil) {
        self.header = header
        self.lua = lua
    }
}

/// An ISO 8601 duration of days, hours, minutes and seconds: `PT5S`, `PT1H30M`, `P1DT12H`, `PT0.5S`.
///
/// Years, months and weeks are refused: a year or month has no fixed length, and XSD durations have no weeks.
/// Seconds may have up to three decimals. The text is kept as written; `milliseconds` is its length.
public struct ISODuration: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var milliseconds: Int64

    /// The longest duration accepted: 36,500 days (about a century). Longer ones cannot mean anything to a
    /// token, and the cap leaves every sum of a few durations far inside `Int64` milliseconds.
    public static let maximumMilliseconds: Int64 = 36_500 * 86_400_000

    /// Why a text is not a duration: not the syntax at all, or a duration beyond `maximumMilliseconds`.
    public enum ParseError: Error, Sendable, Hashable {
        case syntax
        case outOfRange(NumberRangeError)
    }

    /// Nil when the text is not such a duration or is longer than `maximumMilliseconds`.
    public init?(_ text: String) {
        guard let duration = try? ISODuration(parsing: text) else { return nil }
        self = duration
    }

    /// Parses `P[nD][T[nH][nM][n[.fff]S]]`; a component too large to add up is `outOfRange`, never a trap.
    public init(parsing text: String) throws(ParseError) {
        var characters = Substring(text)
        guard characters.first == "P" else { throw .syntax }
        characters = characters.dropFirst()
        var total: Int64 = 0
        var inTime = false
        var sawComponent = false
        var sawTime = false
        // Units must come in this order, each at most once.
        var lastRank = -1
        while !characters.isEmpty {
            if characters.first == "T" {
                guard !inTime else { throw .syntax }
                inTime = true
                sawTime = true
                characters = characters.dropFirst()
                continue
            }
            let digits = characters.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 12 else { throw .syntax }
            characters = characters.dropFirst(digits.count)
            var fraction: Substring = ""
            if characters.first == "." {
                fraction = characters.dropFirst().prefix { $0.isASCII && $0.isNumber }
                guard !fraction.isEmpty, fraction.count <= 3 else { throw .syntax }
                characters = characters.dropFirst(1 + fraction.count)
            }
            guard let unit = characters.first else { throw .syntax }
            characters = characters.dropFirst()
            let rank: Int
            let scale: Int64
            switch (unit, inTime) {
            case ("D", false): (rank, scale) = (0, 86_400_000)
            case ("H", true): (rank, scale) = (1, 3_600_000)
            case ("M", true): (rank, scale) = (2, 60_000)
            case ("S", true): (rank, scale) = (3, 1000)
            default: throw .syntax
            }
            guard rank > lastRank, fraction.isEmpty || unit == "S" else { throw .syntax }
            lastRank = rank
            // At most 12 digits, so the count fits; the product and the sum saturate and are then refused.
            let whole = Int64(digits)!.saturatingMultiplied(by: scale)
            let decimals = fraction.isEmpty ? 0 : Int64(fraction + String(repeating: "0", count: 3 - fraction.count))!
            total = total.saturatingAdding(whole).saturatingAdding(decimals)
            guard total <= Self.maximumMilliseconds else {
                throw .outOfRange(
                    NumberRangeError(field: "duration", value: text, range: "at most P36500D, about a century"))
            }
            sawComponent = true
        }
        guard sawComponent, !sawTime || lastRank >= 1 else { throw .syntax }
        self.text = text
        self.milliseconds = total
    }

    /// `seconds` clamped to `0…maximumMilliseconds / 1000`, so no argument can make it fail.
    public static func seconds(_ seconds: Int) -> ISODuration {
        ISODuration("PT\(min(max(seconds, 0), Int(maximumMilliseconds / 1000)))S")!
    }

    public var description: String { text }
}

/// An ISO 8601 timestamp with a zone, as `sl:on-schedule at=` and `time` attributes take it:
/// `2026-03-01T08:00:00Z`, `2026-03-01T09:00:00.5+01:00`.
public enum ISOTimestamp {
    /// Whether `text` is `YYYY-MM-DDThh:mm:ss[.fff…](Z|±hh:mm)` with fields in range.
    public static func isValid(_ text: String) -> Bool {
        let c = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= c.count else { return nil }
            var value = 0
            for byte in c[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard c.count >= 20, let _ = number(0..<4), c[4] == 45, let month = number(5..<7), c[7] == 45,
            let day = number(8..<10), c[10] == 84 || c[10] == 116, let hour = number(11..<13), c[13] == 58,
            let minute = number(14..<16), c[16] == 58, let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return false }
        var index = 19
        if c[index] == 46 {
            index += 1
            let start = index
            while index < c.count, c[index] >= 48 && c[index] <= 57 { index += 1 }
            guard index > start else { return false }
        }
        guard index < c.count else { return false }
        if c[index] == 90 || c[index] == 122 { return index + 1 == c.count }
        guard c[index] == 43 || c[index] == 45, c.count == index + 6, let zoneHour = number((index + 1)..<(index + 3)),
            c[index + 3] == 58, let zoneMinute = number((index + 4)..<(index + 6))
        else { return false }
        return zoneHour < 24 && zoneMinute < 60
    }
}
