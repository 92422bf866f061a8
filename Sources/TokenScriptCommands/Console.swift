import Foundation

/// Where a command writes: the real terminal, or a buffer when tests call the command in-process.
package final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private var capturedOut = ""
    private var capturedErr = ""
    private let capturing: Bool
    /// Whether standard error is a terminal, so progress lines make sense.
    package let showsProgress: Bool

    private init(capturing: Bool, showsProgress: Bool) {
        self.capturing = capturing
        self.showsProgress = showsProgress
    }

    /// Standard output and error of this process.
    package static var standard: Console { Console(capturing: false, showsProgress: isatty(2) == 1) }

    /// A console that records everything, for tests.
    package static func capture() -> Console { Console(capturing: true, showsProgress: false) }

    package var output: String { lock.withLock { capturedOut } }
    package var errorOutput: String { lock.withLock { capturedErr } }

    /// Writes one line; control characters in it are escaped (see `TerminalText`).
    package func out(_ text: String) {
        writeLine(text, captured: \.capturedOut, to: .standardOutput)
    }

    /// Writes one line to standard error; control characters in it are escaped (see `TerminalText`).
    package func err(_ text: String) {
        writeLine(text, captured: \.capturedErr, to: .standardError)
    }

    /// Appends the escaped line to the capture buffer when capturing, to `handle` otherwise.
    private func writeLine(_ text: String, captured: ReferenceWritableKeyPath<Console, String>, to handle: FileHandle) {
        let line = TerminalText.escapingControls(text) + "\n"
        lock.withLock {
            if capturing {
                self[keyPath: captured] += line
            } else {
                handle.write(Data(line.utf8))
            }
        }
    }

    /// Rewrites one status line on a terminal; nothing otherwise.
    package func progress(_ text: String) {
        guard showsProgress else { return }
        let text = TerminalText.singleLine(text)
        lock.withLock { FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8)) }
    }

    package func endProgress() {
        guard showsProgress else { return }
        lock.withLock { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
