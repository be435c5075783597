import Activation
import Foundation
import Pool
import Postgres
import Testing

/// A step's snapshot holds what steps change; the request and the policy are written once, at intake.
@Suite("ActivationStore: the snapshot without request and policy")
struct StoreSnapshotTests {
    @Test func theRequestAndPolicyAreColumnsTheSnapshotLeavesOut() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            var stored = try await Self.created(in: store, maxCancelDenials: 2)
            stored = try await store.step(stored) {
                try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 1), at: StoreFixtures.at(1))
            }

            let row = try await store.pool.query(
                """
                SELECT snapshot::jsonb ? 'request' AS has_request, snapshot::jsonb ? 'policy' AS has_policy,
                    snapshot::jsonb ? 'attempts' AS has_attempts, (policy->>'maxCancelDenials')::int AS denials
                FROM activations WHERE request_id = 'req-1'
                """).single()
            #expect(try row.decode("has_request", as: Bool.self) == false)
            #expect(try row.decode("has_policy", as: Bool.self) == false)
            #expect(try row.decode("has_attempts", as: Bool.self))
            #expect(try row.decode("denials", as: Int.self) == 2)

            let loaded = try #require(try await store.activation(requestID: "req-1"))
            #expect(loaded.machine == stored.machine.compacted())
            #expect(loaded.machine.policy.maxCancelDenials == 2, "the activation keeps the policy it was taken in with")
        }
    }

    /// A row last written before migration 13: the whole machine in its snapshot, no policy column.
    @Test func aRowWrittenBeforeTheSplitReadsAndItsFirstStepMovesThePolicy() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let machine = try await Self.created(in: store, maxCancelDenials: 4).machine.compacted()
            let whole = try WireFormat.encodeText(machine)
            try await store.pool.query(
                "UPDATE activations SET snapshot = $1, policy = NULL WHERE request_id = 'req-1'", [whole])

            let legacy = try #require(try await store.activation(requestID: "req-1"))
            #expect(legacy.machine == machine)
            #expect(legacy.machine.policy.maxCancelDenials == 4)

            let stepped = try await store.step(legacy) {
                try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 1), at: StoreFixtures.at(1))
            }
            let row = try await store.pool.query(
                """
                SELECT snapshot::jsonb ? 'policy' AS has_policy, (policy->>'maxCancelDenials')::int AS denials
                FROM activations WHERE request_id = 'req-1'
                """).single()
            #expect(try row.decode("has_policy", as: Bool.self) == false)
            #expect(try row.decode("denials", as: Int.self) == 4, "the step moved the policy to its column")
            let loaded = try #require(try await store.activation(requestID: "req-1"))
            #expect(loaded.machine == stepped.machine.compacted())
        }
    }

    /// A row whose snapshot and timeline details were stored as `jsonb` (before migration 16): the migration turns
    /// them into text, and the activation and its timeline read back and step on as before.
    @Test func aSnapshotAndTimelineStoredAsJSONBReadBackAfterMigration16() async throws {
        try await StoreTestDatabase.withStore { store, schema in
            let stepped = try await store.step(try await Self.created(in: store, maxCancelDenials: 3)) {
                try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 1), at: StoreFixtures.at(1))
            }
            // Back to the column as migration 15 left it, and migration 16 not applied yet.
            try await store.pool.query("ALTER TABLE activations ALTER COLUMN snapshot TYPE jsonb USING snapshot::jsonb")
            try await store.pool.query(
                """
                ALTER TABLE activation_timeline ALTER COLUMN detail DROP DEFAULT,
                    ALTER COLUMN detail TYPE jsonb USING detail::jsonb, ALTER COLUMN detail SET DEFAULT '{}'::jsonb
                """)
            try await store.pool.query("DELETE FROM schema_migrations WHERE version = 16")
            try await store.migrate()

            let types = try await store.pool.query(
                """
                SELECT data_type FROM information_schema.columns
                WHERE table_schema = $1 AND (table_name, column_name) IN (('activations', 'snapshot'), ('activation_timeline', 'detail'))
                """, [schema]
            ).map { try $0.decode("data_type", as: String.self) }
            #expect(types == ["text", "text"])
            let loaded = try #require(try await store.activation(requestID: "req-1"))
            #expect(loaded.machine == stepped.machine.compacted())
            #expect(try await store.timeline(requestID: "req-1") == stepped.machine.timeline.entries)
            let after = try await store.step(loaded) {
                try $0.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: StoreFixtures.at(2))
            }
            #expect(after.version == loaded.version + 1)
        }
    }

    /// req-1 taken in under a policy that allows `maxCancelDenials` (not the default), its intake confirmed.
    static func created(in store: ActivationStore, maxCancelDenials: Int) async throws -> StoredActivation {
        try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
        var policy = ActivationPolicy()
        policy.maxCancelDenials = maxCancelDenials
        var machine = ActivationStateMachine(request: StoreFixtures.request(), policy: policy, at: StoreFixtures.at(0))
        let actions = try machine.intakeConfirmed(context: StoreFixtures.context, at: StoreFixtures.at(0))
        return try await store.created(machine, actions)
    }
}
