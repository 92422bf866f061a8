import TokenScriptModel
import TokenScriptXML

/// `sl:effect`: the web call an executor makes (request, timeout, retries, idempotency, anchor fallback),
/// with its durations checked and its Lua bodies located.
extension ServerReader {
    mutating func effect(_ element: XMLElement, issuers: [TrustedIssuer]) -> ServerEffect? {
        checkAttributes(element, ["name", "method", "url", "timeout"])
        guard let name = unique("effect", required("name", of: element), element),
            let methodText = required("method", of: element), let url = required("url", of: element),
            let timeoutText = required("timeout", of: element)
        else { return nil }
        guard let method = ServerEffect.Method(rawValue: methodText) else {
            error(
                "effect '\(name)': unknown method '\(methodText)' (expected GET, POST, PUT, PATCH or DELETE)", element)
            return nil
        }
        guard let timeout = duration(timeoutText, "timeout", of: element, positive: true) else { return nil }
        var effect = ServerEffect(
            name: name, method: method, url: url, timeout: timeout, location: builder.modelLocation(element))
        let environment = Set(script.meta.environment.map(\.name))
        for reference in effect.environmentReferences where !environment.contains(reference) {
            error(
                "effect '\(name)': url refers to ${env.\(reference)}, "
                    + "but ts:meta has no <ts:env name=\"\(reference)\">",
                element)
        }
        var seen: Set<String> = []
        for child in ourChildren(of: element, named: ["request", "retry", "idempotency-key", "fallback"]) {
            guard seen.insert(child.localName).inserted else {
                error("effect '\(name)' has more than one <\(child.qualifiedName)>", child)
                continue
            }
            switch child.localName {
            case "request":
                checkAttributes(child, [])
                noChildren(child)
                effect.request = builder.luaSource(child)
                if effect.request == nil { error("effect '\(name)': <\(child.qualifiedName)> has no Lua", child) }
            case "retry":
                if let retry = retry(child, effect: name) { effect.retry = retry }
            case "idempotency-key":
                checkAttributes(child, ["header"])
                noChildren(child)
                let header = child.attribute("header") ?? "Idempotency-Key"
                if header.isEmpty || header.contains(where: { $0.isWhitespace || $0 == ":" }) {
                    error("effect '\(name)': '\(header)' is not an HTTP header name", child)
                }
                effect.idempotencyKey = IdempotencyKey(header: header, lua: builder.luaSource(child))
            default:  // fallback
                checkAttributes(child, ["anchor"])
                switch child.attribute("anchor") {
                case "true", "1": effect.anchorFallback = true
                case "false", "0": effect.anchorFallback = false
                case let other:
                    error(
                        "effect '\(name)': <\(child.qualifiedName)> needs "
                            + "anchor=\"true\" or \"false\", not '\(other ?? "")'",
                        child)
                }
            }
        }
        if effect.anchorFallback, !issuers.contains(where: { $0.topics.contains { $0.matches(effect.outcomeTopic) } }) {
            error(
                "effect '\(name)' falls back to an anchoring node, but no sl:issuer "
                    + "is trusted for topic '\(effect.outcomeTopic)' to sign its failure",
                element)
        }
        return effect
    }

    mutating func retry(_ element: XMLElement, effect: String) -> RetryPolicy? {
        checkAttributes(element, ["retries", "backoff", "initial", "max"])
        guard let retriesText = required("retries", of: element) else { return nil }
        guard let retries = Int(retriesText), (0...RetryPolicy.maximumRetries).contains(retries) else {
            error("effect '\(effect)': retries=\"\(retriesText)\" is not a number from 0 to 100", element)
            return nil
        }
        var policy = RetryPolicy(retries: retries)
        if let text = element.attribute("backoff") {
            guard let backoff = RetryPolicy.Backoff(rawValue: text) else {
                error("effect '\(effect)': unknown backoff '\(text)' (expected fixed or exponential)", element)
                return nil
            }
            policy.backoff = backoff
        }
        if let text = element.attribute("initial") {
            guard let initial = duration(text, "initial", of: element, positive: false) else { return nil }
            policy.initial = initial
        }
        if let text = element.attribute("max") {
            guard let maximum = duration(text, "max", of: element, positive: false) else { return nil }
            if maximum.milliseconds < policy.initial.milliseconds {
                error("effect '\(effect)': max=\"\(maximum)\" is shorter than initial=\"\(policy.initial)\"", element)
            }
            policy.maximum = maximum
        }
        return policy
    }
}
