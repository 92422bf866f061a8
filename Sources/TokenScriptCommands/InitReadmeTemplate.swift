/// The README.md `tokenscript init` writes into the new project: what each part does and what to edit next.
///
/// Placeholders: `NAME` (the token's XML name). Every command in it runs as written from the project directory.
enum InitReadmeTemplate {
    static let text = #"""
        # {{NAME}}

        A token with server-side logic, made by `tokenscript init`. It works as it is: from this directory,

        ```
        tokenscript validate .
        tokenscript test {{NAME}}.tests
        ```

        ## What is here

        | file | |
        |---|---|
        | `{{NAME}}.xml` | the TokenScript (namespace 2024/01) with its server extension `sl:server` |
        | `{{NAME}}.tests/activate.scenario.json` | a scenario: attestations to deliver and what must hold after each |
        | `{{NAME}}.tests/activate.golden.json` | the recorded run the scenario is compared with |
        | `issuer.key` | a **test** Ed25519 key: `sl:issuer name="issuer"` trusts it and the scenario signs \#
        with its seed |
        | `node.key` | a **test** key for the hosting node, which signs schedules and attribute changes |

        The key files are test keys made on your machine: fine for tests and dry runs, never for a real token.

        ## What each element of `sl:server` does

        | element | here | edit it to |
        |---|---|---|
        | `sl:trust` / `sl:issuer` | `issuer` may sign topics `status/*` | name who signs your inputs \#
        (`scheme`, `key`, `topics`) |
        | `sl:states` | `issued` (dormant) → `active` → `expired` | list your token's states; `initial=` is \#
        the first |
        | `sl:attribute` | `level`, `activatedAt` (time), `receipt` (json) | declare what transitions store |
        | `sl:computed` | `summary`, Lua over the stored attributes | derive read-only values |
        | `sl:trigger` + `sl:on-attestation` | `activate`, `level-changed`: react to the issuer's \#
        attestations | match topic, type and `filter=` |
        | `sl:transition` | Lua returning `{state, attributes, events, effects}` | change state and \#
        attributes; request effects |
        | `sl:on-effect` | `notified`: the API answered 2xx; `event.data` is the body | react to `success`, \#
        `error`, `timeout`, `failed` |
        | `sl:on-schedule` | `expire`: 30 days after `activatedAt` | `at=`, `after=` … `from=`, or `every=` |
        | `sl:effect` | `notify`: POST to `${env.api}/notifications`, 2 retries | call your web API \#
        (`sl:request` Lua builds the body) |
        | `sl:interface` | `status`: state, level, summary (and the receipt if `args.withReceipt`) | answer \#
        integrators' queries |

        The full reference is `Sources/TokenScriptDocument/ServerExtension.md` in swift-tokenscript.

        ## The loop

        ```
        # the document, its Lua and its server extension
        tokenscript validate .
        # every scenario against its golden snapshot
        tokenscript test {{NAME}}.tests
        # after an intended change: re-record, then review the diff
        tokenscript test {{NAME}}.tests --update
        # what the document declares
        tokenscript inspect {{NAME}}.xml
        ```

        Add a scenario by copying `activate.scenario.json` to `<name>.scenario.json`, editing its steps and
        `expect`, and recording it with `--update`. The format is described in swift-tokenscript's
        `TokenScripts/flight-ticket.tests/README.md`.

        ## Signed inputs and a dry run

        Sign an attestation as the issuer and run it through the token, with nothing sent anywhere:

        ```
        tokenscript attest sign --key issuer.key --topic status/demo --type activate --payload '{"level": 3}' \#
        --issued-at 1790000000 > inputs.jsonl
        tokenscript attest sign --key issuer.key --topic status/demo --type level --payload '{"level": 5}' \#
        --issued-at 1790000060 >> inputs.jsonl
        tokenscript dry-run {{NAME}}.xml --attestations inputs.jsonl --now 1790000100
        tokenscript dry-run {{NAME}}.xml --attestations inputs.jsonl --advance P31D --query status
        ```

        `--advance P31D` lets 31 days pass after the last attestation: the dry run's hosting node signs the
        `expire` tick when it is due, and `--query status` asks the interface what an integrator would see.

        ### Schedules and attribute changes

        The hosting node signs them with its own key (`node.key`), trusted for `schedule/*` and `attribute/*`:

        ```
        tokenscript attest sign --key node.key --schedule expire --issued-at 1792592000 >> inputs.jsonl
        tokenscript dry-run {{NAME}}.xml --attestations inputs.jsonl --node-key node.key --now 1792592000
        ```

        `--schedule TRIGGER` signs topic `schedule/TRIGGER`, type `schedule`; the engine fires the trigger only
        if the schedule is due at `--issued-at` (here 30 days after `activatedAt`). For an `sl:on-attribute`
        trigger: `tokenscript attest sign --key node.key --attribute NAME --old JSON --new JSON`.

        ## Before a real deployment

        1. Make the issuer's real key where you keep secrets (not in this directory):
           `tokenscript keys new --scheme ed25519 --out ~/keys/issuer.key` (or `--scheme eip191` for an Ethereum
           wallet) and paste the printed `key` into `sl:issuer`.
        2. Keep the scenarios as they are: the scenario's `keys.issuer` is a test key, and the test runner
           substitutes it for the document's key of the issuer with that name.
        3. Replace the contract address and `ts:env name="api"`.

        """#
}
