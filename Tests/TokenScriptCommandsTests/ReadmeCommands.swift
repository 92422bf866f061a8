/// The commands of a README's shell blocks, as a user would paste them one by one.
///
/// Convention (README.md says it too): every line of a ```` ```sh ```` (or `bash`) block is a command that runs
/// as written, in order, in a fresh clone after `scripts/demo`. A line ending in `\` continues on the next; a
/// here-document (`<<EOF`) takes the lines up to its terminator; blank lines and whole-line comments are
/// skipped. Two markers, at the end of a command's trailing comment, change that:
/// - `[exits N]` (or `[exits N: why]`): the command is documented to exit with status N;
/// - `[not run: why]`: the command is shown but not run (rarely, and always with a reason).
/// Syntax synopses that are not commands belong in ```` ```text ```` blocks, which are not read.
struct ReadmeCommand: Sendable, CustomStringConvertible {
    /// The command as the shell receives it, continuations joined.
    var text: String
    /// The text without its trailing comment (a here-document's body included): what the shell executes.
    var code: String
    /// The 1-based line of the README where the command starts.
    var line: Int
    /// The exit status the README documents (0 unless marked `[exits N]`).
    var expectedStatus: Int32 = 0
    /// Why the command is not run, when it is marked `[not run: why]`.
    var notRunReason: String?

    var description: String { "README.md:\(line): \(text)" }
}

/// A README whose shell blocks cannot be read as commands, with the line to fix.
struct ReadmeCommandError: Error, CustomStringConvertible {
    var line: Int
    var message: String

    var description: String { "README.md:\(line): \(message)" }
}

enum ReadmeCommands {
    /// Fence languages whose lines are commands.
    static let shellLanguages: Set<String> = ["sh", "bash", "shell"]

    /// Every command of the shell blocks of `markdown`, in document order.
    static func extract(from markdown: String) throws -> [ReadmeCommand] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var commands: [ReadmeCommand] = []
        var index = 0
        while index < lines.count {
            guard let fence = openingFence(lines[index]) else {
                index += 1
                continue
            }
            let blockStart = index
            index += 1
            var closed = false
            while index < lines.count {
                if isClosingFence(lines[index], ticks: fence.ticks) {
                    closed = true
                    break
                }
                if shellLanguages.contains(fence.language) {
                    if let command = try readCommand(lines, at: &index, fence: fence.ticks) {
                        commands.append(command)
                    }
                } else {
                    index += 1
                }
            }
            guard closed else { throw ReadmeCommandError(line: blockStart + 1, message: "code block is never closed") }
            index += 1
        }
        return commands
    }

    /// Reads the command starting at `lines[index]` (nil for a blank or comment line) and moves past it.
    private static func readCommand(_ lines: [String], at index: inout Int, fence: Int) throws -> ReadmeCommand? {
        let start = index
        let first = lines[index]
        index += 1
        let trimmed = first.trimmingLeadingSpaces()
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
        var text = first
        while text.hasOddTrailingBackslashes {
            guard index < lines.count, !isClosingFence(lines[index], ticks: fence) else {
                throw ReadmeCommandError(line: start + 1, message: "a `\\` continuation runs past the end of the block")
            }
            text = String(text.dropLast()) + lines[index]
            index += 1
        }
        let (code, comment) = splitComment(text)
        var hereDocumentBody = ""
        if let terminator = hereDocumentTerminator(code) {
            var body: [String] = []
            while true {
                guard index < lines.count, !isClosingFence(lines[index], ticks: fence) else {
                    throw ReadmeCommandError(
                        line: start + 1, message: "here-document `\(terminator.word)` is not terminated in its block")
                }
                let bodyLine = lines[index]
                index += 1
                body.append(bodyLine)
                let candidate = terminator.stripsTabs ? String(bodyLine.drop { $0 == "\t" }) : bodyLine
                if candidate == terminator.word { break }
            }
            hereDocumentBody = "\n" + body.joined(separator: "\n")
            text += hereDocumentBody
        }
        var command = ReadmeCommand(
            text: text.trimmingLeadingSpaces(), code: (code + hereDocumentBody).trimmingLeadingSpaces(), line: start + 1
        )
        try applyMarkers(comment, to: &command)
        return command
    }

    /// Reads `[exits N]` and `[not run: why]` from a trailing comment.
    private static func applyMarkers(_ comment: String, to command: inout ReadmeCommand) throws {
        var rest = Substring(comment)
        while let open = rest.firstIndex(of: "[") {
            guard let close = rest[open...].firstIndex(of: "]") else { break }
            let marker = rest[rest.index(after: open)..<close].trimmed(of: " ")
            rest = rest[rest.index(after: close)...]
            if marker.hasPrefix("not run") {
                let reason = marker.dropFirst("not run".count).drop { $0 == ":" || $0 == " " }
                guard marker.dropFirst("not run".count).first == ":", !reason.isEmpty else {
                    throw ReadmeCommandError(
                        line: command.line, message: "`[\(marker)]` needs a reason: `[not run: why]`")
                }
                command.notRunReason = String(reason)
            } else if marker.hasPrefix("exits") {
                let value = marker.dropFirst("exits".count).drop { $0 == " " }.prefix { $0.isNumber }
                guard let status = Int32(value), (0...255).contains(status) else {
                    throw ReadmeCommandError(
                        line: command.line, message: "`[\(marker)]` needs a status 0…255: `[exits 1]`")
                }
                command.expectedStatus = status
            }
        }
    }

    /// The code and the trailing comment of a shell line: `#` starts a comment outside quotes, at the start of a
    /// word.
    static func splitComment(_ line: String) -> (code: String, comment: String) {
        guard let position = unquotedPositions(in: line).first(where: { $0.isComment }) else { return (line, "") }
        return (String(line[..<position.index]), String(line[line.index(after: position.index)...]))
    }

    /// Where a comment starts (`#` at the start of a word) and where `<` stands, outside quotes and escapes.
    private static func unquotedPositions(in line: String) -> [(index: String.Index, isComment: Bool)] {
        var positions: [(index: String.Index, isComment: Bool)] = []
        var quote: Character?
        var escaped = false
        var previous: Character = " "
        for position in line.indices {
            let character = line[position]
            defer { previous = character }
            if escaped {
                escaped = false
                continue
            }
            switch (quote, character) {
            case (nil, "\\"), ("\"", "\\"): escaped = true
            case (nil, "'"), (nil, "\""): quote = character
            case ("'", "'"), ("\"", "\""): quote = nil
            case (nil, "#") where previous == " " || previous == "\t":
                positions.append((position, true))
                return positions
            case (nil, "<"): positions.append((position, false))
            default: break
            }
        }
        return positions
    }

    private struct HereDocument {
        var word: String
        var stripsTabs: Bool
    }

    /// The terminator of a here-document the code opens (`<<EOF`, `<<-EOF`, `<<'EOF'`), if any.
    private static func hereDocumentTerminator(_ code: String) -> HereDocument? {
        let opening = unquotedPositions(in: code).first { position in
            !position.isComment && code[position.index...].hasPrefix("<<") && !code[position.index...].hasPrefix("<<<")
                && (position.index == code.startIndex || code[code.index(before: position.index)] != "<")
        }
        guard let opening else { return nil }
        var rest = code[code.index(opening.index, offsetBy: 2)...]
        let stripsTabs = rest.first == "-"
        if stripsTabs { rest = rest.dropFirst() }
        rest = rest.drop { $0 == " " }
        let word = rest.prefix { !" \t;|&<>".contains($0) }.filter { $0 != "'" && $0 != "\"" }
        return word.isEmpty ? nil : HereDocument(word: word, stripsTabs: stripsTabs)
    }

    private static func openingFence(_ line: String) -> (ticks: Int, language: String)? {
        let trimmed = line.trimmingLeadingSpaces()
        let ticks = trimmed.prefix { $0 == "`" }.count
        guard ticks >= 3 else { return nil }
        let language = trimmed.dropFirst(ticks).prefix { !" \t{".contains($0) }
        return (ticks, language.lowercased())
    }

    private static func isClosingFence(_ line: String, ticks: Int) -> Bool {
        let trimmed = line.trimmingLeadingSpaces().trimmed(of: " \t")
        return trimmed.count >= ticks && trimmed.allSatisfy { $0 == "`" }
    }
}

extension String {
    fileprivate func trimmingLeadingSpaces() -> String { String(drop { $0 == " " || $0 == "\t" }) }

    fileprivate var hasOddTrailingBackslashes: Bool { reversed().prefix { $0 == "\\" }.count % 2 == 1 }
}

extension StringProtocol {
    fileprivate func trimmed(of set: String) -> String {
        let start = drop { set.contains($0) }
        return String(start.reversed().drop { set.contains($0) }.reversed())
    }
}
