import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starts the devnet's children, watches them, and stops them all by PID: on a signal, when one of them dies,
/// and when starting fails half-way, so no child outlives the devnet.
public final class DevnetSupervisor: @unchecked Sendable {
    public struct Settings: Sendable {
        /// The executable every child runs (the devnet's own).
        public var executable: String
        /// Where each child's `.out` and `.err` files go.
        public var logs: String
        /// How long a child may take to print READY.
        public var startSeconds: Double
        /// How long children get after SIGTERM before SIGKILL.
        public var graceSeconds: Double

        public init(executable: String, logs: String, startSeconds: Double = 30, graceSeconds: Double = 10) {
            self.executable = executable
            self.logs = logs
            self.startSeconds = startSeconds
            self.graceSeconds = graceSeconds
        }
    }

    /// How watching ended.
    public enum Ending: Sendable {
        /// A signal asked the devnet to stop.
        case signal(Int32)
        /// A child ended on its own.
        case childEnded(DevnetError)
        /// The watching task was cancelled.
        case cancelled
    }

    public let settings: Settings
    private let signals: DevnetSignals
    /// Guards `started` and `killed`: `watch` reads them while `kill` and `startAgain` change them.
    private let lock = NSLock()
    private var started: [DevnetChild] = []
    /// Children `kill` stopped, until `startAgain`.
    private var killed: [String: DevnetChildSpec] = [:]
    public var children: [DevnetChild] { lock.withLock { started } }

    public init(settings: Settings, signals: DevnetSignals) {
        self.settings = settings
        self.signals = signals
    }

    /// Starts the anchor (if any) and waits for it, then the service nodes (all at once), waits for each READY
    /// and returns the manifest. On any failure, or a signal meanwhile, every started child is stopped first.
    public func start(anchor: DevnetChildSpec?, nodes: (_ anchorURL: String?) -> [DevnetChildSpec]) async throws
        -> DevnetManifest
    {
        try await start(anchors: anchor.map { [$0] } ?? [], nodes: nodes)
    }

    /// Starts the anchors (all at once: they share one store) and waits for them, then the service nodes, told
    /// every anchor's URL separated by commas; waits for each READY and returns the manifest. On any failure, or
    /// a signal meanwhile, every started child is stopped first.
    public func start(anchors: [DevnetChildSpec], nodes: (_ anchorURLs: String?) -> [DevnetChildSpec]) async throws
        -> DevnetManifest
    {
        do {
            try FileManager.default.createDirectory(atPath: settings.logs, withIntermediateDirectories: true)
            let startedAnchors = try anchors.map(spawn)
            let anchorURLs = try await waitForReady(startedAnchors)
            let anchors = zip(anchors, anchorURLs).map { DevnetManifest.Entry(name: $0.name, url: $1) }
            let started = try nodes(anchors.isEmpty ? nil : anchorURLs.joined(separator: ",")).map(spawn)
            let urls = try await waitForReady(started)
            let serviceNodes = zip(started, urls).map { DevnetManifest.Entry(name: $0.spec.name, url: $1) }
            return DevnetManifest(anchors: anchors, serviceNodes: serviceNodes)
        } catch {
            await stopAll()
            throw error
        }
    }

    /// Returns when a signal arrives, a child ends or the task is cancelled; the children are still as they were
    /// (call `stopAll`).
    public func watch() async -> Ending {
        while !Task.isCancelled {
            if let signal = signals.received { return .signal(signal) }
            // A child `kill` stopped left `started` before it was killed: not an ending.
            if let ended = children.first(where: { !$0.isRunning }),
                lock.withLock({ started.contains { $0 === ended } })
            {
                return .childEnded(ended.failure("exited with status \(ended.exitStatus) while the devnet ran"))
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return .cancelled
    }

    /// SIGTERM to every running child, SIGKILL to those still running after the grace period; returns the names
    /// of the children that had to be killed.
    @discardableResult
    public func stopAll() async -> [String] {
        let children = self.children
        children.forEach { $0.send(SIGTERM) }
        await waitUntilEnded(seconds: settings.graceSeconds)
        let stubborn = children.filter(\.isRunning)
        stubborn.forEach { $0.send(SIGKILL) }
        await waitUntilEnded(seconds: 5)
        return stubborn.map(\.spec.name)
    }

    private func spawn(_ spec: DevnetChildSpec) throws -> DevnetChild {
        let child = try DevnetChild(spec: spec, executable: settings.executable, logs: settings.logs)
        lock.withLock { started.append(child) }
        return child
    }

    /// Kills child `name` with SIGKILL, as a crash would, and keeps it down until `startAgain`; its logs are kept
    /// as `<name>.killed.out` and `.err`. `watch` does not count it as a failure.
    public func kill(_ name: String) async throws {
        guard let old = lock.withLock({ started.first { $0.spec.name == name } }) else {
            throw DevnetError("no running child named \(name)")
        }
        lock.withLock {
            started.removeAll { $0 === old }
            killed[name] = old.spec
        }
        old.send(SIGKILL)
        while old.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        let manager = FileManager.default
        for (path, suffix) in [(old.standardOutputPath, "out"), (old.standardErrorPath, "err")] {
            let kept = settings.logs + "/\(name).killed.\(suffix)"
            try? manager.removeItem(atPath: kept)
            try? manager.moveItem(atPath: path, toPath: kept)
        }
    }

    /// Starts a child `kill` stopped with its arguments again, listening on the port of `url` (so the manifest's
    /// URL stays right); returns once it printed READY.
    public func startAgain(_ name: String, url: String) async throws {
        guard var spec = lock.withLock({ killed.removeValue(forKey: name) }) else {
            throw DevnetError("no killed child named \(name)")
        }
        if let port = URL(string: url)?.port {
            spec.arguments = spec.arguments.map { $0.hasSuffix(":0") ? String($0.dropLast(2)) + ":\(port)" : $0 }
        }
        _ = try await waitForReady(try spawn(spec))
    }

    /// Polls the child's READY line until the start deadline, watching for signals meanwhile.
    private func waitForReady(_ child: DevnetChild) async throws -> String {
        try await waitForReady([child])[0]
    }

    /// Polls every child's READY line at once until the start deadline, watching for signals meanwhile; their
    /// URLs in order. A child that ends before READY fails the start at once, whichever is still starting.
    private func waitForReady(_ children: [DevnetChild]) async throws -> [String] {
        let deadline = Date().addingTimeInterval(settings.startSeconds)
        var urls: [String?] = Array(repeating: nil, count: children.count)
        while true {
            for (index, child) in children.enumerated() where urls[index] == nil {
                if let signal = signals.received {
                    throw DevnetError("stopped by \(DevnetSignals.name(signal)) while \(child.spec.name) was starting")
                }
                urls[index] = try child.readiness()
            }
            let ready = urls.compactMap { $0 }
            if ready.count == children.count { return ready }
            if Date() >= deadline, let late = children.indices.first(where: { urls[$0] == nil }) {
                throw children[late].failure("no READY line within \(settings.startSeconds) s")
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    private func waitUntilEnded(seconds: Double) async {
        let deadline = Date().addingTimeInterval(seconds)
        while children.contains(where: \.isRunning), Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
