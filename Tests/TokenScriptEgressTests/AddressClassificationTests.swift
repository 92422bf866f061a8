import Testing
import TokenScriptEgress

/// Which addresses an effect may reach by default: the edges of every special-purpose range, in both
/// families and in the IPv6 forms that carry an IPv4 address.
@Suite struct AddressClassificationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var address: String
        /// The classification's kind, or nil for public unicast.
        var kind: String?
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        // IPv4: each range's first and last address, and its public neighbours.
        Case(label: "0.0.0.0 unspecified", address: "0.0.0.0", kind: "unspecified"),
        Case(label: "0/8 last", address: "0.255.255.255", kind: "\"this network\""),
        Case(label: "1.0.0.0 public", address: "1.0.0.0", kind: nil),
        Case(label: "9.255.255.255 public", address: "9.255.255.255", kind: nil),
        Case(label: "10/8 first", address: "10.0.0.0", kind: "private"),
        Case(label: "10/8 last", address: "10.255.255.255", kind: "private"),
        Case(label: "11.0.0.0 public", address: "11.0.0.0", kind: nil),
        Case(label: "100.63.255.255 public", address: "100.63.255.255", kind: nil),
        Case(label: "CGNAT first", address: "100.64.0.0", kind: "shared address space (CGNAT)"),
        Case(label: "CGNAT last", address: "100.127.255.255", kind: "shared address space (CGNAT)"),
        Case(label: "100.128.0.0 public", address: "100.128.0.0", kind: nil),
        Case(label: "loopback first", address: "127.0.0.0", kind: "loopback"),
        Case(label: "loopback 127.0.0.1", address: "127.0.0.1", kind: "loopback"),
        Case(label: "loopback last", address: "127.255.255.255", kind: "loopback"),
        Case(label: "cloud metadata", address: "169.254.169.254", kind: "link-local"),
        Case(label: "link-local first", address: "169.254.0.0", kind: "link-local"),
        Case(label: "169.255.0.0 public", address: "169.255.0.0", kind: nil),
        Case(label: "172.15.255.255 public", address: "172.15.255.255", kind: nil),
        Case(label: "172.16/12 first", address: "172.16.0.0", kind: "private"),
        Case(label: "172.16/12 last", address: "172.31.255.255", kind: "private"),
        Case(label: "172.32.0.0 public", address: "172.32.0.0", kind: nil),
        Case(label: "192.0.0/24", address: "192.0.0.8", kind: "IETF protocol assignments"),
        Case(label: "TEST-NET-1", address: "192.0.2.1", kind: "documentation"),
        Case(label: "6to4 relay", address: "192.88.99.1", kind: "6to4 relay anycast"),
        Case(label: "192.167.255.255 public", address: "192.167.255.255", kind: nil),
        Case(label: "192.168/16 first", address: "192.168.0.0", kind: "private"),
        Case(label: "192.168/16 last", address: "192.168.255.255", kind: "private"),
        Case(label: "192.169.0.0 public", address: "192.169.0.0", kind: nil),
        Case(label: "benchmarking", address: "198.19.255.255", kind: "benchmarking"),
        Case(label: "198.20.0.0 public", address: "198.20.0.0", kind: nil),
        Case(label: "TEST-NET-2", address: "198.51.100.7", kind: "documentation"),
        Case(label: "TEST-NET-3", address: "203.0.113.255", kind: "documentation"),
        Case(label: "223.255.255.255 public", address: "223.255.255.255", kind: nil),
        Case(label: "multicast first", address: "224.0.0.0", kind: "multicast"),
        Case(label: "multicast last", address: "239.255.255.255", kind: "multicast"),
        Case(label: "reserved 240/4", address: "240.0.0.1", kind: "reserved"),
        Case(label: "broadcast", address: "255.255.255.255", kind: "broadcast"),
        Case(label: "public 8.8.8.8", address: "8.8.8.8", kind: nil),
        // IPv6.
        Case(label: "::", address: "::", kind: "unspecified"),
        Case(label: "::1", address: "::1", kind: "loopback"),
        Case(label: "IPv4-compatible ::127.0.0.1", address: "::127.0.0.1", kind: "IPv4-compatible (deprecated)"),
        Case(label: "IPv4-compatible ::8.8.8.8", address: "::8.8.8.8", kind: "IPv4-compatible (deprecated)"),
        Case(label: "mapped loopback", address: "::ffff:127.0.0.1", kind: "loopback"),
        Case(label: "mapped metadata, hex", address: "::ffff:a9fe:a9fe", kind: "link-local"),
        Case(label: "mapped private", address: "0:0:0:0:0:ffff:10.1.2.3", kind: "private"),
        Case(label: "mapped public", address: "::ffff:8.8.8.8", kind: nil),
        Case(label: "NAT64 of metadata", address: "64:ff9b::169.254.169.254", kind: "link-local"),
        Case(label: "NAT64 of public", address: "64:ff9b::808:808", kind: nil),
        Case(label: "local-use NAT64", address: "64:ff9b:1::1", kind: "local-use NAT64"),
        Case(label: "6to4 of loopback", address: "2002:7f00:1::", kind: "loopback"),
        Case(label: "6to4 of 192.168.1.1", address: "2002:c0a8:101::1", kind: "private"),
        Case(label: "6to4 of public", address: "2002:808:808::1", kind: nil),
        Case(label: "discard-only", address: "100::1", kind: "discard-only"),
        Case(
            label: "Teredo", address: "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            kind: "IETF protocol assignments (Teredo, ORCHID, …)"),
        Case(label: "2001:200:: public (just past 2001::/23)", address: "2001:200::1", kind: nil),
        Case(label: "documentation 2001:db8::/32", address: "2001:db8::1", kind: "documentation"),
        Case(label: "documentation 3fff::/20", address: "3fff:fff::1", kind: "documentation"),
        Case(label: "public 2606:4700::1111", address: "2606:4700::1111", kind: nil),
        Case(label: "last of 2000::/3", address: "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", kind: nil),
        Case(label: "4000:: outside 2000::/3", address: "4000::1", kind: "not global unicast"),
        Case(label: "unique local first", address: "fc00::", kind: "unique local"),
        Case(label: "unique local fd", address: "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", kind: "unique local"),
        Case(label: "link-local fe80::1", address: "fe80::1", kind: "link-local"),
        Case(label: "link-local last", address: "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", kind: "link-local"),
        Case(label: "site-local", address: "fec0::1", kind: "site-local (deprecated)"),
        Case(label: "multicast ff02::1", address: "ff02::1", kind: "multicast"),
        Case(label: "1fff:: below 2000::/3", address: "1fff:ffff::1", kind: "not global unicast"),
    ]

    @Test("each address is public unicast or named by its range", arguments: cases)
    func classification(_ entry: Case) throws {
        let address = try #require(IPAddress(entry.address))
        #expect(SpecialAddresses.classify(address)?.kind == entry.kind)
    }

    @Test("a mapped form's reason names the form and the IPv4 address inside")
    func embeddedReason() throws {
        let address = try #require(IPAddress("::ffff:169.254.169.254"))
        let reason = try #require(SpecialAddresses.classify(address)).description
        #expect(reason == "IPv4-mapped form of 169.254.169.254, link-local (169.254.0.0/16)")
    }

    @Test(
        "strict address text: legacy IPv4 forms and zones are not addresses",
        arguments: [
            "127.1", "0x7f.0.0.1", "2130706433", "0177.0.0.1", "127.0.0.01", "256.0.0.1", "1.2.3.4.5", "1.2.3.", "",
            "fe80::1%eth0", ":::1", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "g::1", "1:2:3:4:5:6:7:",
        ])
    func notAddresses(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("IPv6 text round-trips in RFC 5952 form")
    func ipv6Text() throws {
        #expect(try #require(IPAddress("0:0:0:0:0:0:0:1")).description == "::1")
        #expect(try #require(IPAddress("2001:DB8:0:0:1:0:0:1")).description == "2001:db8::1:0:0:1")
        #expect(try #require(IPAddress("::ffff:127.0.0.1")).description == "::ffff:7f00:1")
        #expect(try #require(IPAddress("1:2:3:4:5:6:7::")).description == "1:2:3:4:5:6:7:0")
    }
}
