/// Where effects may send requests: by default HTTPS to public unicast addresses only.
///
/// Effects are built by token code, so without a policy any token on a service node could reach the
/// operator's internal network (`http://169.254.169.254/` is the cloud metadata service). The check has
/// two stages, both here so the simulation and the transport share them:
///
/// 1. `check(url:)`, on the URL alone: http(s) only, plain http only where allowed, no userinfo, a
///    strict host (`EgressURL`), and an IP-literal host must be admitted (stage 2 on that address);
/// 2. `admit(_:for:)`, on every address the host name resolves to: the transport resolves once, refuses
///    the request if any address is refused, and connects only to the addresses it checked (no second
///    lookup a rebinding DNS server could answer differently).
///
/// The simulation (`dry-run`, `test`) has no DNS: it runs stage 1 and treats `localhost` and
/// `*.localhost` as the loopback addresses they resolve to (RFC 6761); other names pass it.
///
/// The operator widens the policy with `allow(_:)` (`--allow-egress`): a CIDR range or address admits
/// those addresses, a host name admits whatever that name resolves to; `allowsPlainHTTP`
/// (`--allow-http`) admits `http`.
public struct EgressPolicy: Sendable, Hashable {
    /// Host names admitted whatever they resolve to (lower-cased, no trailing dot).
    public var allowedHosts: Set<String>
    /// Ranges admitted even when special-purpose (loopback, private, …).
    public var allowedRanges: [AddressRange]
    /// Whether `http` is allowed besides `https`.
    public var allowsPlainHTTP: Bool

    /// HTTPS to public unicast addresses only.
    public static let `default` = EgressPolicy()

    public init(allowedHosts: Set<String> = [], allowedRanges: [AddressRange] = [], allowsPlainHTTP: Bool = false) {
        self.allowedHosts = allowedHosts
        self.allowedRanges = allowedRanges
        self.allowsPlainHTTP = allowsPlainHTTP
    }

    /// Why an operator's `--allow-egress` entry was not understood.
    public struct InvalidEntry: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// Admits one operator entry: `127.0.0.1/32`, `::1`, `10.0.0.0/8`, or a host name `api.internal`.
    public mutating func allow(_ entry: String) throws(InvalidEntry) {
        let text = entry.trimmingSpaces
        if text.contains("/") || text.contains(":") || IPAddress(text) != nil {
            do {
                allowedRanges.append(try AddressRange(text))
            } catch {
                throw InvalidEntry(description: "--allow-egress \(EgressURL.quoted(entry)): \(error.description)")
            }
            return
        }
        do {
            switch try EgressURL.host(text, fail: { EgressURL.Invalid(description: $0) }) {
            case .name(let name): allowedHosts.insert(name)
            case .address(let address):
                allowedRanges.append(AddressRange(uncheckedNetwork: address, prefixLength: address.isV6 ? 128 : 32))
            }
        } catch {
            let problem = "not a host name, an IP address or a CIDR range (\(error.description))"
            throw InvalidEntry(description: "--allow-egress \(EgressURL.quoted(entry)): \(problem)")
        }
    }

    /// The policy with every entry of `entries` allowed, and plain HTTP if `plainHTTP`.
    public static func allowing(_ entries: [String], plainHTTP: Bool = false) throws(InvalidEntry) -> EgressPolicy {
        var policy = EgressPolicy(allowsPlainHTTP: plainHTTP)
        for entry in entries { try policy.allow(entry) }
        return policy
    }

    /// Stage 1: the URL alone. Returns the parsed URL the transport sends.
    public func check(url text: String) throws(EgressRefusal) -> EgressURL {
        let url: EgressURL
        do {
            url = try EgressURL(text)
        } catch {
            throw EgressRefusal(reason: error.description)
        }
        if url.scheme == "http", !allowsPlainHTTP {
            throw EgressRefusal(
                reason:
                    "plain http to \(url.host) is not allowed (only https; the operator allows http with --allow-http)")
        }
        if case .address(let address) = url.host { try admit(address, for: url) }
        return url
    }

    /// Stage 2: one address `url`'s host resolved to (or the literal address itself).
    public func admit(_ address: IPAddress, for url: EgressURL) throws(EgressRefusal) {
        if case .name(let name) = url.host, allowedHosts.contains(name) { return }
        if allowedRanges.contains(where: { $0.contains(address) }) { return }
        if let inner = SpecialAddresses.embeddedIPv4(address)?.address,
            allowedRanges.contains(where: { $0.contains(inner) })
        {
            return
        }
        guard let classification = SpecialAddresses.classify(address) else { return }
        let subject: String
        switch url.host {
        case .name(let name): subject = "\(name) resolves to \(address), which is"
        case .address: subject = "\(address) is"
        }
        let entry = address.isV6 ? "\(address)/128" : "\(address)/32"
        throw EgressRefusal(
            reason:
                "\(subject) \(classification) and not allowed (the operator allows it with --allow-egress \(entry))",
            address: address)
    }

    /// Stage 1 plus what can be known without DNS: `localhost` and `*.localhost` stand for 127.0.0.1
    /// and ::1. What `dry-run` and `test` apply.
    public func checkWithoutResolving(url text: String) throws(EgressRefusal) -> EgressURL {
        let url = try check(url: text)
        if case .name(let name) = url.host, name == "localhost" || name.hasSuffix(".localhost") {
            for address in [IPAddress.v4(0x7F00_0001), IPAddress.v6(high: 0, low: 1)] { try admit(address, for: url) }
        }
        return url
    }
}

/// A request the egress policy refused, with a reason a person (an issuer, an operator) can act on.
public struct EgressRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    /// The refused address, when an address was the reason.
    public var address: IPAddress?

    public init(reason: String, address: IPAddress? = nil) {
        self.reason = reason
        self.address = address
    }

    public var description: String { "refused by the egress policy: \(reason)" }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
