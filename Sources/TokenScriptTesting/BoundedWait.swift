import Foundation

/// Runs work that must not block (reading a path that may be a FIFO) and gives up after a deadline,
/// so a regression fails the test instead of hanging the run.
///
/// On timeout `rescue` runs (e.g. `FIFO.release`, which lets a reader stuck in `open()` go on) and the
/// result is nil. Sync work runs on its own thread, never on the shared cooperative pool.
public enum BoundedWait {
    public static func run<T: Sendable>(
        seconds: Double, rescue: @escaping @Sendable () -> Void = {}, _ body: @escaping @Sendable () -> T
    ) async -> T? {
        await race(seconds: seconds, rescue: rescue) { finish in
            Thread.detachNewThread { finish(body()) }
        }
    }

    public static func run<T: Sendable>(
        seconds: Double, rescue: @escaping @Sendable () -> Void = {}, _ body: @escaping @Sendable () async -> T
    ) async -> T? {
        await race(seconds: seconds, rescue: rescue) { finish in
            Task.detached { finish(await body()) }
        }
    }

    private static func race<T: Sendable>(
        seconds: Double, rescue: @escaping @Sendable () -> Void, start: (@escaping @Sendable (T) -> Void) -> Void
    ) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let claimed = NSLock()
            nonisolated(unsafe) var done = false
            let claim: @Sendable () -> Bool = {
                claimed.withLock {
                    defer { done = true }
                    return !done
                }
            }
            start { value in if claim() { continuation.resume(returning: value) } }
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: seconds)
                if claim() {
                    rescue()
                    continuation.resume(returning: nil)
                }
            }
        }
    }
}

/// Named pipes for tests that check a FIFO is refused rather than opened for reading.
public enum FIFO {
    public static func make(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 else {
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(errno), userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Opens and closes the writing end, releasing a reader blocked in `open()` (which then reads end of file).
    public static func release(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        if descriptor >= 0 { close(descriptor) }
    }
}
