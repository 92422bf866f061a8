import Foundation

/// What `attest sign` and `grant sign` share: sign at the wall clock's now, print the signed value's one JSON
/// line, and report a refusal with the one exit rule.
enum SignedOutput {
    /// The wall clock in Unix seconds, the default `issuedAt` of what the CLI signs.
    static var now: UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }

    /// Prints the JSON line `sign(now)` returns: 0, or the `CommandFailure` status when signing throws.
    static func print(to console: Console, _ sign: (UInt64) throws -> String) -> Int32 {
        do {
            console.out(try sign(now))
            return CommandStatus.success.rawValue
        } catch {
            return console.report(CommandFailure("\(error)"), json: false)
        }
    }
}
