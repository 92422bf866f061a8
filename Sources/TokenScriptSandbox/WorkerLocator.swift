import Foundation

/// Finds the sandbox's executables: `TOKENSCRIPT_LUA_WORKER` (worker only), else next to the
/// running executable (`/proc/self/exe`), which is where SwiftPM puts every product — also for the
/// test runner in `.build*/debug/`.
public enum SandboxWorkerLocator {
    public static let workerName = "tokenscript-lua-worker"

    public static func locate(_ name: String = workerName) -> String? {
        if name == workerName, let path = ProcessInfo.processInfo.environment["TOKENSCRIPT_LUA_WORKER"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<3 {  // the executable itself, or a bundle directory around it
            let candidate = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
