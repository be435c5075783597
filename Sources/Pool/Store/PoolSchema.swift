import Postgres

/// The pool's PostgreSQL schema, as an ordered list of migrations.
///
/// Append new migrations with the next version; never edit one that has shipped. Money is in integer minor
/// units (`*_minor bigint`) of the account's currency; times are `timestamptz`. ``ActivationStore`` reads and
/// writes these tables; `otppool migrate` (or ``Migrator``) applies the list, safely from several processes.
public enum PoolSchema {
    /// Every migration, in version order.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "accounts, activations and their timeline", sql: """
            CREATE TABLE accounts (
                id            text PRIMARY KEY,
                email         text NOT NULL,
                -- Funds, and the part of them reserved for activations in flight; available = balance - held.
                balance_minor bigint NOT NULL DEFAULT 0 CHECK (balance_minor >= 0),
                held_minor    bigint NOT NULL DEFAULT 0 CHECK (held_minor >= 0),
                currency      text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
                created_at    timestamptz NOT NULL DEFAULT now(),
                updated_at    timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT accounts_hold_covered CHECK (held_minor <= balance_minor)
            );

            CREATE TABLE activations (
                request_id             text PRIMARY KEY,
                idempotency_key        text NOT NULL UNIQUE,
                account_id             text NOT NULL REFERENCES accounts (id),
                request                jsonb NOT NULL,
                request_hash           text NOT NULL,
                state                  text NOT NULL,
                attempt                integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
                supplier               text,
                supplier_activation_id text,
                service                text NOT NULL,
                country                text NOT NULL,
                number_type            text,
                phone                  text,
                price_minor            bigint CHECK (price_minor >= 0),
                hold_minor             bigint NOT NULL DEFAULT 0 CHECK (hold_minor >= 0),
                created_at             timestamptz NOT NULL DEFAULT now(),
                updated_at             timestamptz NOT NULL DEFAULT now(),
                cancellable_at         timestamptz,
                expires_at             timestamptz,
                finished_at            timestamptz
            );
            CREATE INDEX activations_account_created_idx ON activations (account_id, created_at);
            -- Unfinished activations, for reconciliation after a crash and for operators.
            CREATE INDEX activations_unfinished_idx ON activations (state, updated_at) WHERE finished_at IS NULL;
            -- One row per supplier purchase: a redelivered request can find the purchase it already made.
            CREATE UNIQUE INDEX activations_supplier_activation_idx
                ON activations (supplier, supplier_activation_id) WHERE supplier_activation_id IS NOT NULL;

            -- Append-only. No foreign key to activations: a request rejected before its write-ahead row
            -- exists still gets its decision on record.
            CREATE TABLE activation_timeline (
                id         bigserial PRIMARY KEY,
                request_id text NOT NULL,
                at         timestamptz NOT NULL DEFAULT now(),
                kind       text NOT NULL,
                detail     jsonb NOT NULL DEFAULT '{}'::jsonb
            );
            CREATE INDEX activation_timeline_request_idx ON activation_timeline (request_id, id);
            """),
        Migration(version: 2, name: "activation store: snapshot, version, ledger, timeline order", sql: """
            -- The state machine's Codable snapshot, and the optimistic-concurrency version every step bumps.
            ALTER TABLE activations
                ADD COLUMN snapshot       jsonb,
                ADD COLUMN version        bigint NOT NULL DEFAULT 1 CHECK (version >= 1),
                ADD COLUMN countries      text[] NOT NULL DEFAULT '{}',
                ADD COLUMN currency       text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
                -- What became of hold_minor; the money of an activation reconciles when debited + released
                -- equals hold_minor at its end, and can never exceed it.
                ADD COLUMN debited_minor  bigint NOT NULL DEFAULT 0 CHECK (debited_minor >= 0),
                ADD COLUMN released_minor bigint NOT NULL DEFAULT 0 CHECK (released_minor >= 0),
                ADD COLUMN timeline_count integer NOT NULL DEFAULT 0 CHECK (timeline_count >= 0),
                -- The step that produced this version: a retried step finds itself here and is not applied twice.
                ADD COLUMN last_step_id   text,
                ADD CONSTRAINT activations_ledger_within_hold CHECK (debited_minor + released_minor <= hold_minor);
            COMMENT ON COLUMN activations.request_hash IS 'ActivationRequest.fingerprint of the stored request body';

            -- The stuck-activation sweep: unfinished activations by last change, whatever their state.
            CREATE INDEX activations_unfinished_updated_idx ON activations (updated_at) WHERE finished_at IS NULL;

            -- Entry position within its activation (0-based, as in the machine's timeline): orders the entries
            -- and makes a redelivered step's inserts no-ops.
            ALTER TABLE activation_timeline
                ADD COLUMN seq     integer CHECK (seq >= 0),
                ADD COLUMN attempt integer NOT NULL DEFAULT 0,
                ADD COLUMN state   text;
            CREATE UNIQUE INDEX activation_timeline_seq_idx ON activation_timeline (request_id, seq);
            """),
        Migration(version: 3, name: "escalations: evidence records and their owner queues", sql: """
            -- One record per escalated request (see the Escalation module): the owner queue and status, why it
            -- escalated (triggers, one per event and rule) and the evidence, both JSONB.
            CREATE TABLE escalations (
                request_id     text PRIMARY KEY,
                account_id     text,
                queue          text NOT NULL CHECK (queue IN ('refunds', 'supplier-fallback', 'client-workflow')),
                status         text NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved')),
                service        text,
                outcome        text NOT NULL,
                summary        text NOT NULL,
                triggers       jsonb NOT NULL,
                evidence       jsonb NOT NULL,
                resolution     jsonb,
                last_change_at timestamptz NOT NULL,
                created_at     timestamptz NOT NULL,
                updated_at     timestamptz NOT NULL
            );
            CREATE INDEX escalations_account_idx ON escalations (account_id, created_at);
            CREATE INDEX escalations_queue_status_idx ON escalations (queue, status, created_at);
            CREATE INDEX escalations_status_idx ON escalations (status, created_at);
            CREATE INDEX escalations_created_idx ON escalations (created_at);

            -- The stuck-activation sweep looks for unfinished activations by intake time.
            CREATE INDEX activations_unfinished_created_idx ON activations (created_at) WHERE finished_at IS NULL;
            """),
        Migration(version: 4, name: "liveness, fencing, event outbox and stray supplier numbers", sql: """
            -- The requests-topic partition of the activation (its owner resumes it), when its worker becomes due
            -- if no input arrives (on this database's clock), and the fencing epoch: a resume bumps it, and a
            -- worker whose chain of steps started under an older epoch is refused.
            ALTER TABLE activations
                ADD COLUMN partition integer,
                ADD COLUMN wake_at   timestamptz,
                ADD COLUMN epoch     bigint NOT NULL DEFAULT 1;
            CREATE INDEX activations_wake_idx ON activations (wake_at) WHERE finished_at IS NULL;

            -- Events a committed step must publish, written in the step's statement and deleted once the broker
            -- acknowledged them; a relay re-sends what stays (same event, same event_id).
            CREATE TABLE event_outbox (
                event_id   text PRIMARY KEY,
                request_id text NOT NULL,
                kind       text NOT NULL,
                payload    text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                due_at     timestamptz NOT NULL,
                attempts   integer NOT NULL DEFAULT 0
            );
            CREATE INDEX event_outbox_due_idx ON event_outbox (due_at);

            -- Numbers sold on the pool's key that no attempt owns (an answer for a replaced attempt, a fenced
            -- worker's purchase, a stranger in the supplier's active list): cancelled, or finished and escalated
            -- as an unattributed charge when a code arrived first.
            CREATE TABLE supplier_strays (
                supplier               text NOT NULL,
                supplier_activation_id text NOT NULL,
                request_id             text,
                attempt                integer,
                reason                 text NOT NULL,
                phone                  text,
                price_minor            bigint,
                status                 text NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'cancelled', 'finished', 'gone', 'claimed')),
                charged                boolean NOT NULL DEFAULT false,
                last_reply             text,
                tries                  integer NOT NULL DEFAULT 0,
                created_at             timestamptz NOT NULL DEFAULT now(),
                updated_at             timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (supplier, supplier_activation_id)
            );
            CREATE INDEX supplier_strays_open_idx ON supplier_strays (updated_at) WHERE status = 'open';
            """),
        Migration(version: 5, name: "liveness and outbox scoped by topic", sql: """
            -- Deployments with other topic prefixes may share a database: a worker resumes only the activations
            -- of its own requests topic, and relays only the events of its own events topic.
            ALTER TABLE activations ADD COLUMN requests_topic text;
            ALTER TABLE event_outbox ADD COLUMN topic text;
            """),
        Migration(version: 6, name: "matches of lost purchases, shared by the pool", sql: """
            -- A number of a supplier's active list that a matching round gave to a lost purchase (by its reference),
            -- until the purchase's activation stores it or the number leaves the list: the rounds of every worker
            -- see it, so no other look takes it.
            CREATE TABLE supplier_matches (
                supplier               text NOT NULL,
                supplier_activation_id text NOT NULL,
                reference              text NOT NULL,
                matched_at             timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (supplier, supplier_activation_id),
                UNIQUE (supplier, reference)
            );
            """),
        Migration(version: 7, name: "when each purchase was sent", sql: """
            -- When the current attempt's purchase was first claimed to be sent (PostgreSQL's clock), and which attempt
            -- that was: a purchase written ahead and not sent yet cannot have sold a number listed before now, so it
            -- does not hold back the look for a lost purchase whose window closed already.
            ALTER TABLE activations ADD COLUMN purchase_sent_at timestamptz, ADD COLUMN purchase_sent_attempt integer;
            """),
        Migration(version: 8, name: "a match keeps its number's details", sql: """
            -- With what the list said of the number (an AllocatedNumber as JSON), so a purchase that looks after the
            -- number left the list (its life ended, with a code or without) still gets it. Matches are transient (the
            -- next round makes them again), so the ones stored without details are dropped.
            DELETE FROM supplier_matches;
            ALTER TABLE supplier_matches ADD COLUMN number jsonb NOT NULL;
            """),
        Migration(version: 9, name: "dead letters and their replays", sql: """
            -- Every input the workers put on the dead-letter topic, as it came (key, value and headers as bytes; the
            -- headers a JSON array of {"key", "value": base64 or null}), with why. Written before the record is
            -- produced to the topic, keyed by where it came from: a redelivered input is recorded once.
            -- request_id, idempotency_key and account_id are what the message claims, when readable (for search).
            CREATE TABLE dead_letters (
                id               bigserial PRIMARY KEY,
                source_topic     text NOT NULL,
                source_partition integer NOT NULL,
                source_offset    bigint NOT NULL,
                key              bytea,
                value            bytea NOT NULL,
                headers          jsonb NOT NULL DEFAULT '[]'::jsonb,
                reason_code      text NOT NULL,
                reason           text NOT NULL,
                request_id       text,
                idempotency_key  text,
                account_id       text,
                produced_at      timestamptz,
                dead_lettered_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (source_topic, source_partition, source_offset)
            );
            CREATE INDEX dead_letters_at_idx ON dead_letters (dead_lettered_at);
            CREATE INDEX dead_letters_reason_idx ON dead_letters (reason_code, dead_lettered_at);
            CREATE INDEX dead_letters_account_idx ON dead_letters (account_id, dead_lettered_at) WHERE account_id IS NOT NULL;
            CREATE INDEX dead_letters_request_idx ON dead_letters (request_id) WHERE request_id IS NOT NULL;

            -- Each time an operator put a dead letter back on its source topic: who, when, why, and where it landed.
            CREATE TABLE dead_letter_replays (
                id               bigserial PRIMARY KEY,
                dead_letter_id   bigint NOT NULL REFERENCES dead_letters (id) ON DELETE CASCADE,
                replayed_by      text NOT NULL,
                replayed_at      timestamptz NOT NULL DEFAULT now(),
                note             text,
                target_topic     text NOT NULL,
                target_partition integer NOT NULL,
                target_offset    bigint NOT NULL
            );
            CREATE INDEX dead_letter_replays_letter_idx ON dead_letter_replays (dead_letter_id, replayed_at);
            """),
        Migration(version: 10, name: "operator console: search by number and time, recent outcomes", sql: """
            -- The console finds activations by phone number and by intake time, and counts those that ended in the
            -- last minute; request ID, idempotency key and account are indexed already.
            CREATE INDEX IF NOT EXISTS activations_phone_idx ON activations (phone) WHERE phone IS NOT NULL;
            CREATE INDEX IF NOT EXISTS activations_created_idx ON activations (created_at);
            CREATE INDEX IF NOT EXISTS activations_finished_idx ON activations (finished_at) WHERE finished_at IS NOT NULL;
            """),
        Migration(version: 11, name: "the W3C trace context of each activation and outbox event", sql: """
            -- The activation's own trace context (its traceparent as the pool sends it on: the request's trace,
            -- or a new one, with the activation's span) and the request's tracestate, written at intake; the outbox
            -- copies them with each event, so a re-sent event carries the headers of its first send.
            ALTER TABLE activations ADD COLUMN traceparent text, ADD COLUMN tracestate text;
            ALTER TABLE event_outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
            """),
        Migration(version: 12, name: "a cheaper step: indexes nobody reads dropped, snapshots compressed with lz4", sql: """
            -- Every step rewrites its activation row and, since it changes indexed columns, adds an entry to every
            -- index of the table. These two serve no query: the stall sweep looks for unfinished activations by
            -- wake time (activations_wake_idx), and the timeline is read by request ID in seq order
            -- (activation_timeline_seq_idx).
            DROP INDEX IF EXISTS activations_unfinished_updated_idx;
            DROP INDEX IF EXISTS activation_timeline_request_idx;
            -- A snapshot outgrows the 2 kB a row may take before PostgreSQL compresses it, so each step compresses
            -- it again: lz4 costs a fraction of the default pglz. A server built without lz4 keeps pglz.
            \(snapshotsCompressedWithLZ4)
            """),
        Migration(version: 13, name: "the activation's policy written once, beside its request", sql: """
            -- The request and the policy never change after intake, yet every step wrote them again inside the
            -- snapshot (about a third of its bytes). From this version the snapshot holds only what steps change
            -- (ActivationStateMachine.Progress); the request is read from the request column and the policy from
            -- this one. A row written before keeps both inside its snapshot, and its first step moves the policy
            -- here. Workers of a build before this migration cannot read the new snapshots: stop them before
            -- running it.
            ALTER TABLE activations ADD COLUMN policy jsonb;
            """),
        Migration(version: 14, name: "request, policy and event payloads compressed with lz4", sql: """
            -- A row with its snapshot compressed still outgrows 2 kB, so every step tried to compress the request
            -- and the policy with pglz again, and kept them as they were (a twentieth of PostgreSQL's CPU in the
            -- benchmark). Compressed with lz4 at intake, they are carried as they are by every later step. A
            -- terminal event's payload (its timeline summary) outgrows 2 kB too.
            DO $$
            BEGIN
                ALTER TABLE activations ALTER COLUMN request SET COMPRESSION lz4, ALTER COLUMN policy SET COMPRESSION lz4;
                ALTER TABLE event_outbox ALTER COLUMN payload SET COMPRESSION lz4;
            EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
                RAISE NOTICE 'this server has no lz4; activation requests, policies and event payloads stay compressed with pglz';
            END
            $$;
            """),
        Migration(version: 15, name: "timeline entries without a serial key", sql: """
            -- Every timeline entry (ten per activation that completes) added an entry to two indexes: its bigserial
            -- primary key, which no query reads, and (request_id, seq), which orders the entries and makes a
            -- redelivered step's inserts no-ops. The key goes, and so does its sequence: a sixth of the index
            -- entries a completed activation writes. The id column stays for the rows written before migration 2,
            -- which have no seq and are ordered by it; later rows leave it NULL.
            ALTER TABLE activation_timeline DROP CONSTRAINT activation_timeline_pkey;
            ALTER TABLE activation_timeline ALTER COLUMN id DROP DEFAULT, ALTER COLUMN id DROP NOT NULL;
            DROP SEQUENCE IF EXISTS activation_timeline_id_seq;
            """),
        Migration(version: 16, name: "snapshots and timeline details stored as text", sql: """
            -- Every step writes its activation's snapshot again and adds timeline entries, and as jsonb PostgreSQL
            -- parsed each into its binary form (about a fifth of its CPU in the benchmark), for queries that read a
            -- few fields of a few snapshots (the lost-purchase matching and the stray scan, over activations still
            -- buying a number) and none of a timeline detail. Stored as text they are copied as they come; those
            -- queries cast. Both tables are rewritten once. Workers of a build before this migration bind both as
            -- jsonb and are refused: stop them before running it.
            ALTER TABLE activations ALTER COLUMN snapshot TYPE text USING snapshot::text;
            ALTER TABLE activation_timeline ALTER COLUMN detail DROP DEFAULT;
            ALTER TABLE activation_timeline ALTER COLUMN detail TYPE text USING detail::text;
            ALTER TABLE activation_timeline ALTER COLUMN detail SET DEFAULT '{}';
            \(snapshotsCompressedWithLZ4)
            """),
        Migration(version: 17, name: "one index for the activations still buying a number", sql: """
            -- The lost-purchase matching and the stray scan look for a supplier's unfinished activations in state
            -- allocating, through an index of (state, updated_at) over every unfinished activation: it took an entry
            -- for each row version a step writes while the activation waits for its code or its cancel. This one
            -- takes entries only while an activation buys its number.
            CREATE INDEX IF NOT EXISTS activations_allocating_idx ON activations (supplier)
                WHERE finished_at IS NULL AND state = 'allocating';
            DROP INDEX IF EXISTS activations_unfinished_idx;
            """),
        Migration(version: 18, name: "one timeline row per step", sql: """
            -- A step's timeline entries (two or three) share one row: detail holds the entry's JSON object when the
            -- row holds one, else a JSON array of them, from position seq on; at, kind, attempt and state are the
            -- row's first entry's. One row per entry made the timeline a fifth of the write-ahead log. Rows written
            -- before hold one entry each. Workers of a build before this migration cannot read the arrays: stop them
            -- before running it.
            ALTER TABLE activation_timeline ADD COLUMN IF NOT EXISTS entries integer NOT NULL DEFAULT 1;
            """),
    ]

    /// The snapshot column compressed with lz4 (migration 12, and again after migration 16 changed its type, which
    /// resets it); a server built without lz4 keeps pglz.
    private static let snapshotsCompressedWithLZ4 = """
        DO $$
        BEGIN
            ALTER TABLE activations ALTER COLUMN snapshot SET COMPRESSION lz4;
        EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
            RAISE NOTICE 'this server has no lz4; activation snapshots stay compressed with pglz';
        END
        $$;
        """
}
