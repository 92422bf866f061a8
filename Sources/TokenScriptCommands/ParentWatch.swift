import Foundation

/// A devnet's children end with it: `tokenscript devnet` starts each child with `TOKENSCRIPT_PARENT_PID` set to
/// its own PID, and the child checks every second that it still has that parent. When the devnet is gone (even
/// killed with SIGKILL, which it cannot catch to stop its children) the child sends itself SIGTERM and shuts down
/// gracefully, so no node or anchor is left holding its port and data directory.
enum ParentWatch {
    static let environmentName = "TOKENSCRIPT_PARENT_PID"

    /// Starts the watch when the variable names a PID; does nothing otherwise.
    static func startIfAsked() {
        guard let text = ProcessInfo.processInfo.environment[environmentName], let parent = Int32(text), parent > 1
        else { return }
        let thread = Thread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 1) }
            _ = kill(getpid(), SIGTERM)
        }
        thread.name = "tokenscript parent watch"
        thread.start()
    }
}
