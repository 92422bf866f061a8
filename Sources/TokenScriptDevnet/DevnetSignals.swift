import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT caught for the devnet's own shutdown: once this exists the signals no longer end the
/// process, they are recorded for the supervisor's loop, which stops every child first.
public final class DevnetSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var firstSignal: Int32?
    private var sources: [any DispatchSourceSignal] = []

    public init(_ signals: [Int32] = [SIGTERM, SIGINT]) {
        for number in signals {
            // The default action would end the process before the children are stopped.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.record(number) }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }

    /// The first signal received, if any.
    public var received: Int32? { lock.withLock { firstSignal } }

    private func record(_ number: Int32) {
        lock.withLock { if firstSignal == nil { firstSignal = number } }
    }

    /// `SIGTERM`, `SIGINT` or the number.
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        default: "signal \(number)"
        }
    }
}
