/// The one exit-status rule of every `tokenscript` command (README, "Exit status").
///
/// Scripts and CI tell three outcomes apart without reading output: the command did its job and the thing
/// checked is fine; it did its job and the thing checked is not (an invalid document, a failed scenario, a
/// failed step or query, an attribute that could not be read, a script error or limit, a replay that
/// diverged or a tampered journal); or it could not do its job because it was called wrongly or an input
/// could not be read or used (bad flags, a missing file, malformed JSON, an unusable key).
package enum CommandStatus: Int32, Sendable, CaseIterable {
    case success = 0
    case failed = 1
    case usage = 2

    /// The `"status"` member of every `--json` object, one word per exit status.
    package var jsonStatus: String {
        switch self {
        case .success: "ok"
        case .failed: "failed"
        case .usage: "error"
        }
    }
}
