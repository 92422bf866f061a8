import Foundation
import TokenScriptArithmetic
import TokenScriptAttestation
import TokenScriptJSON
import TokenScriptModel
import TokenScriptRuntime
import TokenScriptSimulation

/// The inputs of `tokenscript dry-run` beyond the attestations: where the instance starts (`--initial`),
/// the `--query` arguments (`--arg`), the clock (`--advance`) and the hosting node's key (`--node-key`).
/// Each refuses bad input with a message naming the flag (and the line and column of malformed JSON).
extension DryRun {
    /// `--arg NAME=VALUE`, as one object: VALUE is read as JSON when it is JSON (`5`, `true`, `"x"`,
    /// `{"a": 1}`), else taken as text, so `--arg flight=LH2024` needs no quoting. A name given twice is refused.
    static func queryArguments(_ pairs: [String], queries: [String]) throws -> SandboxValue {
        guard pairs.isEmpty || !queries.isEmpty else {
            throw Problem(description: "--arg: arguments are for --query calls; give --query INTERFACE too")
        }
        var arguments: [JSONKey: SandboxValue] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw Problem(description: "--arg expects NAME=VALUE, not \(TerminalText.singleLine(pair))")
            }
            let name = JSONKey(String(pair[..<equals]))
            let text = String(pair[pair.index(after: equals)...])
            guard arguments[name] == nil else {
                throw Problem(description: "--arg \(TerminalText.singleLine(name.string)): given twice")
            }
            arguments[name] = (try? SandboxValue.parseJSON(text)) ?? .string(text)
        }
        return .object(arguments)
    }

    /// `--advance`: `PT6H`, or `1790050000,PT6H,P1D` (Unix times and durations, each after the one before).
    static func clockAdvances(_ text: String?) throws -> [ClockAdvance] {
        guard let text else { return [] }
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return try items.map { item in
            if let seconds = UInt64(item), item.allSatisfy(\.isASCII) {
                guard seconds <= UInt64(AttestationValue.maximumInteger) else {
                    throw Problem(description: "--advance \(item): a Unix time beyond 2^53 - 1")
                }
                return .to(seconds)
            }
            do {
                return .by(try ISODuration(parsing: item))
            } catch ISODuration.ParseError.outOfRange {
                throw Problem(description: "--advance \(TerminalText.singleLine(item)): longer than P36500D")
            } catch {
                throw Problem(
                    description:
                        "--advance \(TerminalText.singleLine(item)): expected an ISO-8601 duration of days, hours, "
                        + "minutes and seconds (PT6H, P1DT12H) or Unix seconds, separated by commas")
            }
        }
    }

    /// `--initial FILE`: the start instance, read strictly (a JSON problem names its line and column).
    static func initialInstance(_ path: String?) throws -> InitialInstance? {
        guard let path else { return nil }
        let text: String
        do { text = try InputFile.text(path) } catch { throw Problem(description: "--initial: \(error.description)") }
        do {
            _ = try SandboxValue.parseJSON(text)
        } catch {
            throw CommandFailure(
                "--initial: not valid JSON: \(error.reason)", file: path, line: error.line, column: error.column)
        }
        do {
            return try InitialInstance(json: text)
        } catch {
            throw Problem(description: "--initial \(path): \(error.description)")
        }
    }

    /// `--node-key FILE`: an ed25519 key file's seed; without one, a fresh key from the system's random source.
    static func nodeSeed(_ path: String?) throws -> [UInt8] {
        guard let path else {
            var random = SystemRandomNumberGenerator()
            return (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
        let file: KeyFile
        do { file = try KeyFile.read(path) } catch {
            // KeyFile names the flag of `attest sign`; this one is --node-key.
            var message = "\(error)"
            for prefix in ["--key \(path): ", "--key: "] where message.hasPrefix(prefix) {
                message = String(message.dropFirst(prefix.count))
            }
            throw Problem(description: "--node-key \(path): \(message)")
        }
        guard let seed = file.ed25519Seed else {
            throw Problem(description: "--node-key \(path): scheme: a node signs with ed25519, not \(file.scheme)")
        }
        return seed
    }
}
