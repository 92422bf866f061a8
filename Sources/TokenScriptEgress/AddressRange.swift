/// A CIDR range such as `10.0.0.0/8` or `fe80::/10`: the unit of both the special-purpose table and the
/// operator's `--allow-egress` ranges.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range (its host bits are zero).
    public let network: IPAddress
    public let prefixLength: Int

    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// `ADDRESS/LENGTH`, or a bare address (a range of one). Host bits must be zero: `10.0.0.1/8` is
    /// refused rather than silently widened, since an allow list is the wrong place for guesses.
    public init(_ text: String) throws(Invalid) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else {
            throw Invalid(description: "\"\(text)\" is not an IP address or CIDR range")
        }
        let width = address.isV6 ? 128 : 32
        var length = width
        if parts.count == 2 {
            guard let value = Int(parts[1]), parts[1].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                (0...width).contains(value)
            else { throw Invalid(description: "\"\(text)\": the prefix length must be 0-\(width)") }
            length = value
        }
        let range = AddressRange(uncheckedNetwork: address, prefixLength: length)
        guard range.network == address else {
            throw Invalid(description: "\"\(text)\" has host bits set; the range is \(range)")
        }
        self = range
    }

    /// The range of `prefixLength` bits around `address` (host bits cleared).
    init(uncheckedNetwork address: IPAddress, prefixLength: Int) {
        self.prefixLength = prefixLength
        switch address {
        case .v4(let value):
            network = .v4(prefixLength == 0 ? 0 : value & ~(UInt32.max >> UInt32(prefixLength)))
        case .v6(let high, let low):
            let highMask: UInt64 =
                prefixLength >= 64 ? .max : (prefixLength == 0 ? 0 : ~(UInt64.max >> UInt64(prefixLength)))
            let lowMask: UInt64 =
                prefixLength <= 64 ? 0 : (prefixLength == 128 ? .max : ~(UInt64.max >> UInt64(prefixLength - 64)))
            network = .v6(high: high & highMask, low: low & lowMask)
        }
    }

    public func contains(_ address: IPAddress) -> Bool {
        switch (network, address) {
        case (.v4, .v4), (.v6, .v6):
            AddressRange(uncheckedNetwork: address, prefixLength: prefixLength).network == network
        default: false
        }
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
