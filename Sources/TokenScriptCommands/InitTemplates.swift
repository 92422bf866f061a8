import Foundation

/// The files `tokenscript init` writes, as text with `{{PLACEHOLDER}}`s that `InitProject` fills in.
///
/// Kept as string literals (not bundle resources) so the command works from any build and install layout.
/// The document and the scenario must stay in step: the scenario's `expect` names the document's triggers,
/// states, events, effect URL and attributes; `InitCommandTests` runs the pair on every change.
enum InitTemplates {
    /// Placeholders: `NAME` (the token's XML name), `ISSUER_KEY` (the test issuer's Ed25519 public key).
    static let document = #"""
        <?xml version="1.0" encoding="UTF-8"?>
        <!--
          {{NAME}}: a token with server-side logic, made by `tokenscript init`.
          README.md beside this file says what each element does and what to edit next; the server extension
          sl:server is specified in swift-tokenscript's Sources/TokenScriptDocument/ServerExtension.md.
          The contract address is a placeholder.
        -->
        <ts:token xmlns:ts="http://tokenscript.org/2024/01/tokenscript"
                  xmlns:sl="https://swift-tokenscript.org/server/1"
                  name="{{NAME}}">

            <ts:label>
                <ts:string xml:lang="en">{{NAME}}</ts:string>
            </ts:label>

            <ts:meta>
                <ts:description xml:lang="en">{{NAME}}: activated by its issuer, notifies an API, expires \#
        after 30 days.</ts:description>
                <!-- Used as ${env.api} in the effect's URL; scenarios and dry runs may override it. -->
                <ts:env name="api">https://api.example.org/v1</ts:env>
            </ts:meta>

            <ts:contract name="{{NAME}}" interface="erc721">
                <ts:address network="1">0x0000000000000000000000000000000000000001</ts:address>
            </ts:contract>

            <ts:origins>
                <ts:ethereum contract="{{NAME}}"/>
            </ts:origins>

            <ts:cards>
                <ts:card type="token" name="overview">
                    <ts:label>
                        <ts:string xml:lang="en">Overview</ts:string>
                    </ts:label>
                    <ts:view xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">
                        <p>{{NAME}}</p>
                    </ts:view>
                </ts:card>
            </ts:cards>

            <sl:server>
                <!-- Who may sign the attestations this token reacts to, and on which topics. The key is the
                     test key in issuer.key; put your issuer's real key here (tokenscript keys new). -->
                <sl:trust>
                    <sl:issuer name="issuer" scheme="ed25519" key="{{ISSUER_KEY}}" topics="status/*"/>
                </sl:trust>

                <sl:states initial="issued">
                    <sl:state name="issued" lifecycle="dormant"/>
                    <sl:state name="active"/>
                    <sl:state name="expired" lifecycle="expired"/>
                </sl:states>

                <!-- Stored attributes: only transitions write them. -->
                <sl:attribute name="level" type="integer" initial="0"/>
                <sl:attribute name="activatedAt" type="time"/>
                <sl:attribute name="receipt" type="json"/>

                <!-- Computed from the stored attributes whenever it is read. -->
                <sl:computed name="summary">
                    return state .. " at level " .. attributes.level
                </sl:computed>

                <!-- The issuer activates the token: store the level, emit an event, call the notify effect. -->
                <sl:trigger name="activate" states="issued">
                    <sl:on-attestation topic="status/*" type="activate"/>
                    <sl:transition>
                        return {
                            state = "active",
                            attributes = {level = event.data.level, activatedAt = event.time},
                            events = {{type = "activated", data = {level = event.data.level}}},
                            effects = {{name = "notify", input = {level = event.data.level}}},
                        }
                    </sl:transition>
                </sl:trigger>

                <!-- Triggers are tried in document order; the first that matches fires. -->
                <sl:trigger name="level-changed" states="active">
                    <sl:on-attestation topic="status/*" type="level" filter="(level&gt;=0)"/>
                    <sl:transition>
                        return {attributes = {level = event.data.level}}
                    </sl:transition>
                </sl:trigger>

                <!-- The API's answer to notify: event.data is the response body. -->
                <sl:trigger name="notified" states="active">
                    <sl:on-effect effect="notify" outcome="success"/>
                    <sl:transition>
                        return {attributes = {receipt = event.data}}
                    </sl:transition>
                </sl:trigger>

                <!-- Fires when the hosting node signs schedule/expire once it is due (README.md, Schedules). -->
                <sl:trigger name="expire" states="active">
                    <sl:on-schedule after="P30D" from="activatedAt"/>
                    <sl:transition goto="expired"/>
                </sl:trigger>

                <sl:effect name="notify" method="POST" url="${env.api}/notifications" timeout="PT10S">
                    <sl:request>
                        return {body = {level = input.level, since = attributes.activatedAt}}
                    </sl:request>
                    <sl:retry retries="2" backoff="exponential" initial="PT1S" max="PT10S"/>
                </sl:effect>

                <!-- A read-only query for integrators; args is the table the caller passed. -->
                <sl:interface name="status">
                    local answer = {state = state, level = attributes.level, summary = attributes.summary}
                    if args.withReceipt then answer.receipt = attributes.receipt end
                    return answer
                </sl:interface>
            </sl:server>
        </ts:token>

        """#

    /// Placeholders: `NAME`, `ISSUER_SEED` (the test issuer's Ed25519 seed, so the scenario signs as it).
    static let scenario = #"""
        {
          "description": "The issuer activates the token at level 3: notify is called (201) and its receipt \#
        kept; the level changes to 5; a second activation matches no trigger.",
          "script": "../{{NAME}}.xml",
          "instance": "{{NAME}}-1",
          "keys": {"issuer": "{{ISSUER_SEED}}"},
          "responses": {"notify": [{"status": 201, "body": {"receipt": "R-1"}}]},
          "steps": [
            {"attestation": {"issuer": "issuer", "topic": "status/demo", "type": "activate", "issuedAt": 1790000000,
                             "payload": {"level": 3}},
             "expect": {"trigger": "activate", "state": "active", "events": ["activated"],
                        "requests": [{"method": "POST", "url": "https://api.example.org/v1/notifications",
                                      "body": {"level": 3, "since": 1790000000}}],
                        "outcomes": ["success"]}},
            {"attestation": {"issuer": "issuer", "topic": "status/demo", "type": "level", "payload": {"level": 5}},
             "expect": {"trigger": "level-changed", "state": "active", "events": [], "requests": []}},
            {"attestation": {"issuer": "issuer", "topic": "status/demo", "type": "activate", "payload": {"level": 9}},
             "expect": {"outcome": "unmatched", "state": "active"}}
          ],
          "expect": {"state": "active", "attributes": {"level": 5, "activatedAt": 1790000000, "receipt": \#
        {"receipt": "R-1"}}}
        }

        """#

    /// `template` with every `{{KEY}}` replaced by `values[KEY]`.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        values.reduce(template) { text, entry in text.replacingOccurrences(of: "{{\(entry.key)}}", with: entry.value) }
    }
}
