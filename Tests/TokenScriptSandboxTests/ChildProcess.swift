import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Test helper: posix_spawn an executable with a pipe as its fd 3 (the probe reports there) or as
/// its stdout (the test host prints worker pids), never fork.
struct ChildProcess {
    let pid: pid_t
    private let readEnd: Int32

    enum Ending: Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    init(_ path: String, _ arguments: [String], pipeAs targetFD: Int32) throws {
        var fds: [Int32] = [-1, -1]
        // pipe2 is not exported to Swift; socketpair can set CLOEXEC atomically.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw POSIXError(.EIO)
        }
        let writeEnd = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
        close(fds[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, writeEnd, targetFD)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, nil, argv, environ)
        close(writeEnd)
        guard rc == 0 else {
            close(fds[0])
            throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO)
        }
        self.pid = pid
        readEnd = fds[0]
    }

    /// Reads one line (or everything until EOF if no newline comes).
    func readLine() -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads to EOF, then reaps the child.
    func finish() -> (String, Ending) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(readEnd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        close(readEnd)
        return (String(decoding: bytes, as: UTF8.self), wait())
    }

    func wait() -> Ending {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    func closeReadEnd() { close(readEnd) }
}

/// Whether a process still runs (a zombie waiting for init to reap it counts as gone).
func processIsRunning(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    guard let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}
