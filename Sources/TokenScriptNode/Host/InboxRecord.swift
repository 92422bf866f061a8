import TokenScriptAttestation

/// A pointer to an input awaiting order, topic `inbox/<instance>`: any host that accepted the input appends
/// one, and the executor (whichever node is elected, now or after a takeover) orders every pointer not yet in
/// `order/<instance>`. The payload is an order record's: `{topic, position, id}`.
enum InboxRecord {
    static func topic(of instance: String) -> String { "inbox/" + instance }

    static func attestation(_ input: OrderRecord, instance: String, issuer: Issuer, issuedAt: UInt64) -> Attestation {
        var record = input.attestation(instance: instance, issuer: issuer, issuedAt: issuedAt)
        record.id = "inbox-" + record.id.dropFirst("order-".count)
        record.topic = topic(of: instance)
        return record
    }
}
