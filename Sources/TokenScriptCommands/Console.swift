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
        let text = TerminalText.escapingControls(text)
        lock.withLock {
            if capturing { capturedOut += text + "\n" } else { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
        }
    }

    /// Writes one line to standard error; control characters in it are escaped (see `TerminalText`).
    package func err(_ text: String) {
        let text = TerminalText.escapingControls(text)
        lock.withLock {
            if capturing { capturedErr += text + "\n" } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
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

/// JSON as every command prints it: sorted keys, so output is stable and diffable.
enum JSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
