import ArgumentParser
import TokenScriptEgress

/// `--allow-egress` and `--allow-http`, shared by the commands that execute or simulate effects.
package struct EgressOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("allow-egress"),
        help: "Let effects reach this CIDR range, address or host name, e.g. 127.0.0.1/32 (repeatable).")
    package var allowed: [String] = []

    @Flag(name: .customLong("allow-http"), help: "Let effects use plain http (default: https only).")
    package var allowHTTP = false

    package init() {}

    /// A bad range or host is a usage error when the command line is parsed, before anything runs.
    package func validate() throws { _ = try policy() }

    package func policy() throws -> EgressPolicy {
        do {
            return try EgressPolicy.allowing(allowed, plainHTTP: allowHTTP)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
