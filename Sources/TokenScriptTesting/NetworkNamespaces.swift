import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Several hosts on one machine, for partition tests: Linux network namespaces joined by veth pairs to one
/// bridge, which lives in a namespace of its own (the hub), so nothing of the machine's own network is touched.
/// The test process reaches the hosts through one more veth pair from its own namespace into the hub.
///
/// Links are cut by taking a host's port on the bridge down, or one path by a blackhole route; a link is made
/// slow and lossy with `tc`: `netem` where the kernel has it, else a token bucket (`tbf`) whose low rate queues
/// packets and whose short queue drops what does not fit (the machine these tests were written on lacks
/// `sch_netem`). Needs root and iproute2; `deinit` deletes every namespace it made (and with them their links).
public final class NetworkNamespaces: @unchecked Sendable {
    /// A host: its namespace and its address on the bridge.
    public struct Host: Sendable, Hashable {
        public var name: String
        public var namespace: String
        public var address: String
        /// Its port on the bridge, in the hub: down cuts the host off.
        var bridgePort: String
    }

    /// `ip`, where Debian's iproute2 installs it.
    public static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    public static let tc = ["/usr/sbin/tc", "/sbin/tc", "/usr/bin/tc"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Why the namespaces cannot be made here, or nil when they can (root and iproute2).
    public static var unavailable: String? {
        if getuid() != 0 { return "not root" }
        if ip == nil || tc == nil { return "no ip or tc (iproute2)" }
        return nil
    }

    /// Names start with this (`ts` and this process's id), so two test runs never share one.
    public let prefix: String
    /// The first three octets of the /24 the hosts live in.
    public let subnet: String
    public private(set) var hosts: [Host] = []
    var hub: String { prefix + "hub" }
    /// The test process's end of its link into the hub, and its address.
    var rootLink: String { prefix + "r" }
    public var rootAddress: String { subnet + ".1" }

    public init() async throws {
        if let reason = Self.unavailable { throw ServerChildError("no network namespaces: \(reason)") }
        let pid = getpid()
        prefix = "ts\(pid % 1_000_000)"
        subnet = "10.213.\(pid % 250)"
        try await run(["netns", "add", hub])
        try await run(["-n", hub, "link", "set", "lo", "up"])
        try await run(["-n", hub, "link", "add", "br0", "type", "bridge"])
        try await run(["-n", hub, "link", "set", "br0", "up"])
        try await run(["link", "add", rootLink, "type", "veth", "peer", "name", "root", "netns", hub])
        try await run(["-n", hub, "link", "set", "root", "master", "br0", "up"])
        try await run(["addr", "add", rootAddress + "/24", "dev", rootLink])
        try await run(["link", "set", rootLink, "up"])
    }

    deinit {
        // Deleting a namespace deletes the links in it; the root link goes with its peer in the hub.
        for host in hosts { _ = try? Subprocess.run(Self.ip ?? "ip", ["netns", "del", host.namespace]) }
        _ = try? Subprocess.run(Self.ip ?? "ip", ["netns", "del", hub])
        _ = try? Subprocess.run(Self.ip ?? "ip", ["link", "del", rootLink])
    }

    /// A new host `name` on the bridge, at the next address (`.2`, `.3`, …).
    @discardableResult
    public func add(_ name: String) async throws -> Host {
        let index = hosts.count + 2
        let host = Host(
            name: name, namespace: prefix + name, address: "\(subnet).\(index)", bridgePort: "p\(index)")
        try await run(["netns", "add", host.namespace])
        try await run(["-n", host.namespace, "link", "set", "lo", "up"])
        try await run([
            "-n", hub, "link", "add", host.bridgePort, "type", "veth", "peer", "name", "eth0", "netns",
            host.namespace,
        ])
        try await run(["-n", hub, "link", "set", host.bridgePort, "master", "br0", "up"])
        try await run(["-n", host.namespace, "addr", "add", host.address + "/24", "dev", "eth0"])
        try await run(["-n", host.namespace, "link", "set", "eth0", "up"])
        hosts.append(host)
        return host
    }

    /// The command line that runs `arguments` inside `host`'s namespace (`ip netns exec` replaces itself with
    /// the command, so the child's PID is the command's).
    public func inside(_ host: Host, _ executable: String, _ arguments: [String]) -> (String, [String]) {
        (Self.ip ?? "ip", ["netns", "exec", host.namespace, executable] + arguments)
    }

    /// Cuts `host` off from every other host (its port on the bridge down), or heals it.
    public func cut(_ host: Host, _ cut: Bool = true) async throws {
        try await run(["-n", hub, "link", "set", host.bridgePort, cut ? "down" : "up"])
    }

    /// Drops every packet between `host` and `other` (a blackhole route each way), or heals that path: the
    /// two cannot reach each other, and both still reach everybody else.
    public func separate(_ host: Host, from other: Host, _ separated: Bool = true) async throws {
        for (from, to) in [(host, other), (other, host)] {
            try await run(["-n", from.namespace, "route", separated ? "add" : "del", "blackhole", to.address + "/32"])
        }
    }

    /// Makes what `host` sends slow and lossy (`delay` milliseconds, `loss` percent), or fast again (nil). With
    /// `netem` the figures are what it applies; with `tbf` (no `netem` in the kernel) the delay is a queue behind
    /// a rate of a few kilobits a second and the loss whatever overflows it.
    public func degrade(_ host: Host, delayMilliseconds: Int, lossPercent: Int) async throws {
        let netem = [
            "qdisc", "replace", "dev", "eth0", "root", "netem", "delay", "\(delayMilliseconds)ms", "loss",
            "\(lossPercent)%",
        ]
        if (try? await tc(host, netem)) != nil { return }
        // 2 kbit/s: a small HTTP answer (300 bytes) waits a second or two; a queue longer than the delay drops.
        try await tc(
            host,
            [
                "qdisc", "replace", "dev", "eth0", "root", "tbf", "rate", "2kbit", "burst", "1600",
                "latency", "\(delayMilliseconds)ms",
            ])
    }

    public func restore(_ host: Host) async throws {
        try await tc(host, ["qdisc", "del", "dev", "eth0", "root"])
    }

    private func tc(_ host: Host, _ arguments: [String]) async throws {
        try await run(["netns", "exec", host.namespace, Self.tc ?? "tc"] + arguments)
    }

    private func run(_ arguments: [String]) async throws {
        let outcome = try await Subprocess.run(Self.ip ?? "ip", arguments)
        guard outcome.status == 0 else {
            throw ServerChildError("ip \(arguments.joined(separator: " ")): \(outcome.standardError)")
        }
    }
}
