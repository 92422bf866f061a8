/// Makes untrusted text harmless on a terminal.
///
/// Attestation ids, topics, document labels, chain answers and Lua output reach human-readable output
/// verbatim; an escape sequence among them could clear the screen, set the window title or hide a line.
/// Every line a `Console` writes passes through `escapingControls`, so no command can forget it; table
/// cells and other one-line fields also use `singleLine`, so a value cannot forge extra lines.
enum TerminalText {
    /// Escapes C0 and C1 control characters, DEL and bidirectional overrides as `\u{XX}`, keeping line
    /// feeds and tabs, which our own output uses.
    static func escapingControls(_ text: String) -> String {
        escape(text) { $0 == "\n" || $0 == "\t" }
    }

    /// As `escapingControls`, but line feeds and tabs are escaped too: for a value shown inside one line.
    static func singleLine(_ text: String) -> String {
        escape(text) { _ in false }
    }

    private static func escape(_ text: String, keeping: (Unicode.Scalar) -> Bool) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !keeping($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) && !keeping(scalar) {
                out.append(contentsOf: name(of: scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// C0 controls, DEL, C1 controls (0x9B is a one-byte CSI on some terminals), and the bidi
    /// embedding/override/isolate characters that reorder what a reader sees.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    private static func name(of scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "\\u{" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex + "}"
        }
    }
}
