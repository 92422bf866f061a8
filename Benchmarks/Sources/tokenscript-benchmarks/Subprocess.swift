import Foundation

/// Runs a command to completion with its output discarded, timed from launch to exit.
struct TimedCommand: Sendable {
    var executable: String
    var arguments: [String]

    /// Wall-clock time of the whole subprocess (spawn, parse, exit), taken when Foundation reports the exit.
    ///
    /// The end is stamped in `terminationHandler`, not after `waitUntilExit()`: on Linux `waitUntilExit()` polls its
    /// run loop every 50 ms, which would round every xmllint run of this corpus up to ~51 ms.
    /// The exit status is returned but not judged: xmllint exits non-zero for the corpus's few malformed or unbuilt
    /// files, which is expected.
    func run() throws -> (seconds: Double, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let clock = ContinuousClock()
        let exited = DispatchSemaphore(value: 0)
        let end = EndStamp()
        process.terminationHandler = { _ in
            end.instant = ContinuousClock.now
            exited.signal()
        }
        let start = clock.now
        try process.run()
        exited.wait()
        guard let stop = end.instant else { throw BenchmarkError("no exit time for \(executable)") }
        return ((stop - start).seconds, process.terminationStatus)
    }

    var displayString: String { ([(executable as NSString).lastPathComponent] + arguments).joined(separator: " ") }
}

/// Written once by the termination handler before it signals, read after the wait.
private final class EndStamp: @unchecked Sendable {
    var instant: ContinuousClock.Instant?
}

/// The full path of `name` on `$PATH`, or nil.
func findExecutable(_ name: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = String(directory) + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// Standard output and error of a short command, for version strings.
func captureOutput(_ executable: String, _ arguments: [String]) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return "" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
