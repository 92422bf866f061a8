import ArgumentParser
import TokenScriptEgress

/// `--allow-egress` and `--allow-http`, shared by the commands that execute or simulate effects.
struct EgressOptions: ParsableArguments {
    @Option(
        name: .customLong("allow-egress"),
        help: "Let effects reach this CIDR range, address or host name, e.g. 127.0.0.1/32 (repeatable).")
    var allowed: [String] = []

    @Flag(name: .customLong("allow-http"), help: "Let effects use plain http (default: https only).")
    var allowHTTP = false

    func policy() throws -> EgressPolicy {
        do {
            return try EgressPolicy.allowing(allowed, plainHTTP: allowHTTP)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
