import Testing
import TokenScriptEgress

/// The URL rules of the egress policy: what a token may put in an effect's URL, and why it is refused.
@Suite struct EgressURLTests {
    struct Hostile: Sendable, CustomTestStringConvertible {
        var label: String
        var url: String
        /// A fragment the refusal's reason must contain.
        var reason: String
        var testDescription: String { label }
    }

    static let hostile: [Hostile] = [
        Hostile(
            label: "cloud metadata", url: "https://169.254.169.254/latest/meta-data/",
            reason: "link-local (169.254.0.0/16)"),
        Hostile(label: "loopback literal", url: "https://127.0.0.1/admin", reason: "loopback"),
        Hostile(label: "IPv6 loopback literal", url: "https://[::1]:8443/", reason: "loopback"),
        Hostile(
            label: "mapped IPv6 metadata", url: "https://[::ffff:169.254.169.254]/",
            reason: "IPv4-mapped form of 169.254.169.254"),
        Hostile(label: "private 10/8", url: "https://10.0.0.5/", reason: "private (10.0.0.0/8)"),
        Hostile(label: "CGNAT", url: "https://100.64.0.1/", reason: "CGNAT"),
        Hostile(label: "unspecified", url: "https://0.0.0.0/", reason: "unspecified"),
        Hostile(label: "decimal integer host", url: "https://2130706433/", reason: "non-canonical IPv4"),
        Hostile(label: "short dotted host", url: "https://127.1/", reason: "non-canonical IPv4"),
        Hostile(label: "hex host", url: "https://0x7f000001/", reason: "non-canonical IPv4"),
        Hostile(label: "octal host", url: "https://0177.0.0.1/", reason: "non-canonical IPv4"),
        Hostile(label: "plain http", url: "http://hotels.example.org/", reason: "plain http"),
        Hostile(label: "file scheme", url: "file:///etc/passwd", reason: "scheme \"file\""),
        Hostile(label: "gopher scheme", url: "gopher://hotels.example.org/", reason: "scheme \"gopher\""),
        Hostile(label: "relative URL", url: "/rebookings", reason: "not an absolute"),
        Hostile(label: "userinfo", url: "https://user:pw@hotels.example.org/", reason: "userinfo"),
        Hostile(
            label: "userinfo hiding the host", url: "https://hotels.example.org@169.254.169.254/", reason: "userinfo"),
        Hostile(
            label: "backslash authority trick", url: "https://hotels.example.org\\@169.254.169.254/",
            reason: "backslash"),
        Hostile(
            label: "CR LF in path", url: "https://hotels.example.org/a\r\nX-Injected: 1",
            reason: "control character at offset 28"),
        Hostile(label: "space in path", url: "https://hotels.example.org/a b", reason: "a space"),
        Hostile(label: "NUL in host", url: "https://hotels.example.org\u{0}.evil/", reason: "control character"),
        Hostile(label: "raw UTF-8 host", url: "https://hötels.example.org/", reason: "non-ASCII"),
        Hostile(label: "percent-escaped host", url: "https://%31%32%37.0.0.1/", reason: "non-canonical IPv4"),
        Hostile(label: "IPv6 zone", url: "https://[fe80::1%25eth0]/", reason: "zone"),
        Hostile(label: "port 0", url: "https://hotels.example.org:0/", reason: "port \"0\""),
        Hostile(label: "port too large", url: "https://hotels.example.org:65536/", reason: "port \"65536\""),
        Hostile(label: "empty port", url: "https://hotels.example.org:/", reason: "port \"\""),
        Hostile(label: "no host", url: "https:///path", reason: "no host"),
        Hostile(label: "empty label", url: "https://hotels..example.org/", reason: "not a DNS name"),
        Hostile(
            label: "localhost (no DNS: known loopback)", url: "https://localhost/",
            reason: "localhost resolves to 127.0.0.1"),
        Hostile(label: "sub.localhost", url: "https://api.localhost./", reason: "loopback"),
    ]

    @Test("hostile URLs are refused with a reason", arguments: hostile)
    func refused(_ entry: Hostile) {
        do {
            let url = try EgressPolicy.default.checkWithoutResolving(url: entry.url)
            Issue.record("\(entry.label): admitted as \(url)")
        } catch {
            #expect(error.description.hasPrefix("refused by the egress policy: "))
            #expect(error.reason.contains(entry.reason), "\(error.reason)")
            #expect(!error.reason.contains("\r") && !error.reason.contains("\n") && !error.reason.contains("\u{0}"))
        }
    }

    @Test(
        "public https URLs pass and are rebuilt from their parts",
        arguments: [
            ("https://hotels.example.org/api/v2/rebookings", "https://hotels.example.org/api/v2/rebookings"),
            ("HTTPS://Hotels.Example.ORG./a?b=c#frag", "https://hotels.example.org/a?b=c"),
            ("https://hotels.example.org:443", "https://hotels.example.org/"),
            ("https://hotels.example.org:8443/x", "https://hotels.example.org:8443/x"),
            ("https://8.8.8.8/dns", "https://8.8.8.8/dns"),
            ("https://[2606:4700:0::1111]/", "https://[2606:4700::1111]/"),
            ("https://a-b_c.example/?q=%0d%0a", "https://a-b_c.example/?q=%0d%0a"),
        ])
    func admitted(_ text: String, _ canonical: String) throws {
        #expect(try EgressPolicy.default.checkWithoutResolving(url: text).canonical == canonical)
    }

    @Test("the operator's allowances: ranges, addresses, host names, plain http")
    func allowances() throws {
        let policy = try EgressPolicy.allowing(
            ["127.0.0.1/32", "10.0.0.0/8", "fd00::/8", "api.internal"], plainHTTP: true)
        #expect(try policy.check(url: "http://127.0.0.1:8080/x").port == 8080)
        #expect(try policy.check(url: "http://10.200.0.1/").host == .address(IPAddress("10.200.0.1")!))
        #expect(throws: EgressRefusal.self) { try policy.check(url: "http://127.0.0.2/") }
        #expect(throws: EgressRefusal.self) { try policy.check(url: "http://169.254.169.254/") }
        // The mapped form of an allowed IPv4 address is allowed with it.
        #expect(try policy.check(url: "http://[::ffff:127.0.0.1]/").port == 80)
        #expect(try policy.check(url: "http://[fd12::1]/").port == 80)
        // An allowed name is admitted whatever it resolves to; another name is not.
        let internalURL = try policy.check(url: "https://api.internal/")
        try policy.admit(IPAddress("10.1.1.1")!, for: internalURL)
        try policy.admit(IPAddress("192.168.1.1")!, for: internalURL)
        let otherURL = try policy.check(url: "https://other.internal/")
        #expect(throws: EgressRefusal.self) { try policy.admit(IPAddress("192.168.1.1")!, for: otherURL) }
        // Without --allow-http, http stays refused even to an allowed range.
        #expect(throws: EgressRefusal.self) {
            try EgressPolicy.allowing(["127.0.0.1/32"]).check(url: "http://127.0.0.1/")
        }
    }

    @Test("a name resolving to a refused address is refused with the name, the address and the remedy")
    func resolvedRefusal() throws {
        let url = try EgressPolicy.default.check(url: "https://rebind.example.org/")
        do {
            try EgressPolicy.default.admit(IPAddress("169.254.169.254")!, for: url)
            Issue.record("admitted")
        } catch {
            #expect(
                error.reason
                    == "rebind.example.org resolves to 169.254.169.254, which is link-local (169.254.0.0/16) "
                    + "and not allowed (the operator allows it with --allow-egress 169.254.169.254/32)"
            )
            #expect(error.address == IPAddress("169.254.169.254"))
        }
    }

    @Test(
        "bad --allow-egress entries are named",
        arguments: [
            ("10.0.0.1/8", "host bits set; the range is 10.0.0.0/8"), ("10.0.0.0/33", "prefix length must be 0-32"),
            ("::1/129", "prefix length must be 0-128"), ("127.1", "not a host name"), ("exa mple", "not a host name"),
            ("1.2.3.4/", "prefix length"), ("fe80::1%eth0", "not an IP address"),
        ])
    func invalidEntries(_ entry: String, _ message: String) {
        #expect {
            _ = try EgressPolicy.allowing([entry])
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains("--allow-egress")
        }
    }
}
