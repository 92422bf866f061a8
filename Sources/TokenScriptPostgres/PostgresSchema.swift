/// The store's tables and functions, as numbered migrations applied in order when a store opens.
///
/// A released migration never changes: a new table or column is a new migration after the last one. Every store
/// that opens takes a transaction-scoped advisory lock first, so two anchors starting at once apply each
/// migration once. Text columns use the `"C"` collation (bytes, not a locale: ordering and equality never depend
/// on the server's settings); unsigned 64-bit numbers are stored as their `bigint` bit pattern (`PostgresNumber`)
/// and compared unsigned in SQL through `ts_unsigned`.
enum PostgresSchema {
    struct Migration: Sendable {
        var version: Int
        var name: String
        /// Run one by one (the extended protocol takes one statement at a time), in one transaction.
        var statements: [String]
    }

    /// The advisory lock key every migration run takes: "tokenscript" in ASCII, folded to 63 bits.
    static let migrationLock: Int64 = 0x746F_6B65_6E73_6372

    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "leases, attestation log, instances, placement, service levels",
            statements: [
                """
                    CREATE FUNCTION ts_unsigned(value bigint) RETURNS numeric
                        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                        AS 'SELECT CASE WHEN value < 0 THEN value::numeric + 18446744073709551616
                            ELSE value::numeric END'
                """,
                // The lease table: one row per instance, kept after release so epochs only grow.
                """
                    CREATE TABLE lease (
                        instance text COLLATE "C" PRIMARY KEY,
                        epoch bigint NOT NULL,
                        holder text COLLATE "C",
                        expires_at bigint NOT NULL,
                        elected bigserial NOT NULL
                    )
                """,
                // One counter per topic: positions are taken here in the append's transaction (the row lock
                // orders appends to a topic), so they are gap-free and commit in order; no global serial.
                """
                    CREATE TABLE topic_head (
                        topic text COLLATE "C" PRIMARY KEY,
                        last_position bigint NOT NULL
                    )
                """,
                """
                    CREATE TABLE log_entry (
                        topic text COLLATE "C" NOT NULL,
                        position bigint NOT NULL,
                        attestation_id text COLLATE "C" NOT NULL UNIQUE,
                        attestation text NOT NULL,
                        fence_instance text COLLATE "C",
                        fence_epoch bigint,
                        PRIMARY KEY (topic, position)
                    )
                """,
                // The topics in the order of their first entries: positions from a counter row, taken in the
                // transaction of the topic's first append, so they too are gap-free.
                """
                    CREATE TABLE counter (
                        name text COLLATE "C" PRIMARY KEY,
                        value bigint NOT NULL
                    )
                """,
                """
                    INSERT INTO counter (name, value) VALUES ('topic_index', 0)
                """,
                """
                    CREATE TABLE topic_index (
                        position bigint PRIMARY KEY,
                        topic text COLLATE "C" NOT NULL UNIQUE
                    )
                """,
                """
                    CREATE TABLE token_instance (
                        id text COLLATE "C" PRIMARY KEY,
                        definition_id text COLLATE "C" NOT NULL,
                        step bigint NOT NULL,
                        canonical text NOT NULL
                    )
                """,
                """
                    CREATE INDEX token_instance_by_definition ON token_instance (definition_id, id)
                """,
                """
                    CREATE TABLE placement_node (
                        id text COLLATE "C" PRIMARY KEY,
                        weight bigint NOT NULL
                    )
                """,
                """
                    CREATE TABLE placement_pin (
                        instance text COLLATE "C" NOT NULL,
                        rank integer NOT NULL,
                        node text COLLATE "C" NOT NULL,
                        PRIMARY KEY (instance, rank)
                    )
                """,
                // Service levels: each node's objective and counters, its events per minute.
                """
                    CREATE TABLE slo_node (
                        node text COLLATE "C" PRIMARY KEY,
                        good_per_million bigint,
                        latency_ms bigint,
                        period_seconds bigint,
                        recorded boolean NOT NULL DEFAULT false,
                        probes bigint NOT NULL DEFAULT 0,
                        probes_down bigint NOT NULL DEFAULT 0,
                        last_probe_up boolean,
                        last_probe_at bigint,
                        calls bigint NOT NULL DEFAULT 0,
                        failed_calls bigint NOT NULL DEFAULT 0,
                        total_latency_ms bigint NOT NULL DEFAULT 0,
                        maximum_latency_ms bigint NOT NULL DEFAULT 0,
                        routings bigint NOT NULL DEFAULT 0,
                        mismatches bigint NOT NULL DEFAULT 0,
                        last_sample_at bigint NOT NULL DEFAULT 0
                    )
                """,
                """
                    CREATE TABLE slo_minute (
                        node text COLLATE "C" NOT NULL,
                        minute bigint NOT NULL,
                        total bigint NOT NULL,
                        bad bigint NOT NULL,
                        PRIMARY KEY (node, minute)
                    )
                """,
                // A fenced, idempotent append in one round trip (PostgresAttestationLog): the fence's lease row
                // is read FOR SHARE, so an election committed before refuses the append and one after waits for it;
                // an id already logged returns its entry; otherwise the topic's counter row gives the position.
                """
                    CREATE FUNCTION ts_append(
                        p_topic text, p_id text, p_wire text, p_fence_instance text, p_fence_epoch bigint, p_now bigint
                    ) RETURNS TABLE (
                        outcome text, entry_position bigint, entry_topic text, entry_wire text,
                        entry_fence_instance text, entry_fence_epoch bigint,
                        lease_epoch bigint, lease_holder text, lease_expires_at bigint
                    ) LANGUAGE plpgsql AS $$
                    DECLARE
                        found_lease record;
                        logged record;
                        taken bigint;
                        listed bigint;
                    BEGIN
                        IF p_fence_instance IS NOT NULL THEN
                            SELECT l.epoch, l.holder, l.expires_at INTO found_lease
                                FROM lease l WHERE l.instance = p_fence_instance FOR SHARE;
                            IF NOT FOUND THEN
                                RETURN QUERY SELECT 'stale'::text, NULL::bigint, NULL::text, NULL::text, NULL::text,
                                    NULL::bigint, NULL::bigint, NULL::text, NULL::bigint;
                                RETURN;
                            END IF;
                            IF found_lease.holder IS NULL OR found_lease.epoch <> p_fence_epoch
                                OR ts_unsigned(p_now) >= ts_unsigned(found_lease.expires_at) THEN
                                RETURN QUERY SELECT 'stale'::text, NULL::bigint, NULL::text, NULL::text, NULL::text,
                                    NULL::bigint, found_lease.epoch, found_lease.holder, found_lease.expires_at;
                                RETURN;
                            END IF;
                        END IF;
                        SELECT e.topic, e.position, e.attestation, e.fence_instance, e.fence_epoch INTO logged
                            FROM log_entry e WHERE e.attestation_id = p_id;
                        IF FOUND THEN
                            RETURN QUERY SELECT 'logged'::text, logged.position, logged.topic::text, logged.attestation,
                                logged.fence_instance::text, logged.fence_epoch, NULL::bigint, NULL::text, NULL::bigint;
                            RETURN;
                        END IF;
                        INSERT INTO topic_head AS h (topic, last_position) VALUES (p_topic, 1)
                            ON CONFLICT (topic) DO UPDATE SET last_position = h.last_position + 1
                            RETURNING h.last_position INTO taken;
                        IF taken = 1 THEN
                            UPDATE counter c SET value = c.value + 1 WHERE c.name = 'topic_index'
                                RETURNING c.value INTO listed;
                            INSERT INTO topic_index (position, topic) VALUES (listed, p_topic);
                        END IF;
                        INSERT INTO log_entry (
                                topic, position, attestation_id, attestation, fence_instance, fence_epoch)
                            VALUES (p_topic, taken, p_id, p_wire, p_fence_instance, p_fence_epoch);
                        RETURN QUERY SELECT 'appended'::text, taken, p_topic, NULL::text, NULL::text, NULL::bigint,
                            NULL::bigint, NULL::text, NULL::bigint;
                    END;
                    $$
                """,
            ]),
        Migration(
            version: 2, name: "fenced appends in batches",
            statements: [
                // Several appends in one transaction (`PostgresAppendBatcher`): each as `ts_append` would, in array
                // order, each with its own outcome; one commit (one WAL flush) for all of them.
                """
                    CREATE FUNCTION ts_append_batch(
                        p_topics text[], p_ids text[], p_wires text[], p_fence_instances text[],
                        p_fence_epochs bigint[], p_now bigint
                    ) RETURNS TABLE (
                        item integer, outcome text, entry_position bigint, entry_topic text, entry_wire text,
                        entry_fence_instance text, entry_fence_epoch bigint,
                        lease_epoch bigint, lease_holder text, lease_expires_at bigint
                    ) LANGUAGE plpgsql AS $$
                    BEGIN
                        FOR i IN 1 .. coalesce(array_length(p_ids, 1), 0) LOOP
                            -- An empty fence instance is no fence (no lease names an empty instance).
                            RETURN QUERY SELECT i, a.* FROM ts_append(
                                p_topics[i], p_ids[i], p_wires[i], NULLIF(p_fence_instances[i], ''),
                                CASE WHEN p_fence_instances[i] = '' THEN NULL ELSE p_fence_epochs[i] END, p_now) a;
                        END LOOP;
                    END;
                    $$
                """
            ]),
        Migration(
            version: 3, name: "instance journals, dormant and retired instances",
            statements: [
                // A journal's header line, and one row per sealed line keyed by (instance, sequence): the key refuses
                // a second line at one sequence, whichever writer gets there first (`PostgresJournalStore`).
                """
                    CREATE TABLE journal (
                        instance text COLLATE "C" PRIMARY KEY,
                        header bytea NOT NULL
                    )
                """,
                """
                    CREATE TABLE journal_entry (
                        instance text COLLATE "C" NOT NULL REFERENCES journal (instance),
                        sequence bigint NOT NULL,
                        line bytea NOT NULL,
                        hash text NOT NULL,
                        PRIMARY KEY (instance, sequence)
                    )
                """,
                // A node's instances at rest (`PostgresInstanceLifecycle`): the dormant ones and the log topics they
                // wait on, by the topic's bytes (an exact topic, or a prefix), and what is left of retired ones.
                """
                    CREATE TABLE dormant_instance (
                        id text COLLATE "C" PRIMARY KEY,
                        since bigint NOT NULL
                    )
                """,
                """
                    CREATE TABLE dormant_topic (
                        stem bytea NOT NULL,
                        prefix boolean NOT NULL,
                        instance text COLLATE "C" NOT NULL,
                        next_position bigint,
                        PRIMARY KEY (stem, prefix, instance)
                    )
                """,
                """
                    CREATE INDEX dormant_topic_by_instance ON dormant_topic (instance)
                """,
                """
                    CREATE TABLE retired_instance (
                        id text COLLATE "C" PRIMARY KEY,
                        definition_id text COLLATE "C" NOT NULL,
                        step bigint NOT NULL,
                        state_hash text NOT NULL,
                        retired_at bigint NOT NULL,
                        archive text NOT NULL
                    )
                """,
            ]),
    ]
}

/// Unsigned 64-bit numbers in PostgreSQL's signed `bigint`: the bit pattern, both ways.
enum PostgresNumber {
    static func stored(_ value: UInt64) -> Int64 { Int64(bitPattern: value) }
    static func loaded(_ value: Int64) -> UInt64 { UInt64(bitPattern: value) }
}
