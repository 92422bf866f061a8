/// The addresses an effect may not reach by default: everything that is not public unicast.
///
/// IPv4 follows the IANA special-purpose registry (RFC 6890 and successors); IPv6 allows only global
/// unicast (`2000::/3`) minus its special blocks, and reads the IPv4 address inside the forms that carry
/// one (IPv4-mapped `::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`), so `::ffff:127.0.0.1`
/// is loopback like `127.0.0.1`. The first matching row names the reason.
public enum SpecialAddresses {
    /// A reason an address is not public unicast.
    public struct Classification: Sendable, Hashable, CustomStringConvertible {
        /// `loopback`, `private`, `link-local`, …
        public var kind: String
        /// The table row that matched.
        public var range: AddressRange
        /// For an IPv6 form carrying an IPv4 address (`IPv4-mapped`, `NAT64`, `6to4`): the form and that address.
        public var embeddedForm: String?
        public var embeddedAddress: IPAddress?

        public var description: String {
            if let embeddedForm, let embeddedAddress {
                return "\(embeddedForm) form of \(embeddedAddress), \(kind) (\(range))"
            }
            return "\(kind) (\(range))"
        }
    }

    /// IPv4 rows, most specific first where they overlap.
    public static let v4: [(kind: String, range: AddressRange)] = [
        ("unspecified", "0.0.0.0/32"), ("\"this network\"", "0.0.0.0/8"), ("private", "10.0.0.0/8"),
        ("shared address space (CGNAT)", "100.64.0.0/10"), ("loopback", "127.0.0.0/8"),
        ("link-local", "169.254.0.0/16"),
        ("private", "172.16.0.0/12"), ("IETF protocol assignments", "192.0.0.0/24"), ("documentation", "192.0.2.0/24"),
        ("6to4 relay anycast", "192.88.99.0/24"), ("private", "192.168.0.0/16"), ("benchmarking", "198.18.0.0/15"),
        ("documentation", "198.51.100.0/24"), ("documentation", "203.0.113.0/24"), ("multicast", "224.0.0.0/4"),
        ("broadcast", "255.255.255.255/32"), ("reserved", "240.0.0.0/4"),
    ].map { ($0.0, try! AddressRange($0.1)) }

    /// IPv6 rows; the IPv4-carrying forms are handled before these.
    public static let v6: [(kind: String, range: AddressRange)] = [
        ("unspecified", "::/128"), ("loopback", "::1/128"), ("IPv4-compatible (deprecated)", "::/96"),
        ("discard-only", "100::/64"), ("local-use NAT64", "64:ff9b:1::/48"),
        ("IETF protocol assignments (Teredo, ORCHID, …)", "2001::/23"),
        ("documentation", "2001:db8::/32"), ("documentation", "3fff::/20"), ("unique local", "fc00::/7"),
        ("link-local", "fe80::/10"), ("site-local (deprecated)", "fec0::/10"), ("multicast", "ff00::/8"),
        ("not global unicast", "::/0"),
    ].map { ($0.0, try! AddressRange($0.1)) }

    static let globalUnicast = try! AddressRange("2000::/3")
    static let mapped = try! AddressRange("::ffff:0:0/96")
    static let nat64 = try! AddressRange("64:ff9b::/96")
    static let sixToFour = try! AddressRange("2002::/16")

    /// Why `address` is not public unicast, or nil when it is.
    public static func classify(_ address: IPAddress) -> Classification? {
        switch address {
        case .v4:
            return v4.first { $0.range.contains(address) }.map { Classification(kind: $0.kind, range: $0.range) }
        case .v6:
            if let (form, inner) = embeddedIPv4(address) {
                guard var inside = classify(inner) else { return nil }
                inside.embeddedForm = form
                inside.embeddedAddress = inner
                return inside
            }
            let rows = globalUnicast.contains(address) ? v6.dropLast() : v6[...]
            return rows.first { $0.range.contains(address) }.map { Classification(kind: $0.kind, range: $0.range) }
        }
    }

    /// The IPv4 address an IPv6 address carries, for the forms that route to it: mapped, NAT64, 6to4.
    public static func embeddedIPv4(_ address: IPAddress) -> (form: String, address: IPAddress)? {
        guard case .v6(let high, let low) = address else { return nil }
        if mapped.contains(address) { return ("IPv4-mapped", .v4(UInt32(truncatingIfNeeded: low))) }
        if nat64.contains(address) { return ("NAT64", .v4(UInt32(truncatingIfNeeded: low))) }
        if sixToFour.contains(address) { return ("6to4", .v4(UInt32(truncatingIfNeeded: high >> 16))) }
        return nil
    }
}
