import Activation
import Foundation
import Pool
import Postgres
import TestSupport
import Testing

@Suite("PoolSchema: migration 2 on a database already at version 1")
struct StoreMigrationTests {
    @Test func migrationTwoKeepsExistingRowsAndTheStoreReportsThemClearly() async throws {
        let schema = uniqueName("legacy", separator: "_")
        let admin = try await TestDatabase.connect()
        try await admin.query("CREATE SCHEMA \(schema)")
        let configuration = TestDatabase.configuration(searchPath: [schema])
        let pool = PostgresPool(configuration: .init(connection: configuration, maximumConnections: 2))
        do {
            // A database some earlier build migrated to version 1 and wrote to.
            try await Migrator(migrations: Array(PoolSchema.migrations.prefix(1))).migrate(pool: pool)
            try await pool.query(
                "INSERT INTO accounts (id, email, balance_minor, held_minor) VALUES ('acct-1', 'a@example.com', 5000, 700)")
            try await pool.query(
                """
                INSERT INTO activations (request_id, idempotency_key, account_id, request, request_hash, state, service,
                    country, hold_minor)
                VALUES ('old-1', 'old-key', 'acct-1', '{}', 'h', 'waiting_code', 'tg', 'russia', 700)
                """)
            try await pool.query(
                "INSERT INTO activation_timeline (request_id, kind) VALUES ('old-1', 'request_received')")

            let store = ActivationStore(pool: pool)
            let applied = try await store.migrate()
            #expect(applied.map(\.version) == Array(PoolSchema.migrations.dropFirst().map(\.version)))
            #expect(try await store.migrate().isEmpty, "a second run finds everything applied")

            #expect(try await store.account(id: "acct-1")?.heldMinor == 700)
            #expect(try await store.countsByState() == [.waitingCode: 1])
            let error = try await #require(throws: PoolStoreError.self) {
                try await store.activation(requestID: "old-1")
            }
            #expect(error.code == .decoding)
            #expect(error.message.contains("before migration 2"))

            // Migration 12: the step's table keeps only the indexes a query reads, and its snapshots use lz4.
            let indexes = try await pool.query(
                "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename IN ('activations', 'activation_timeline')",
                [schema]
            ).map { try $0.decode("indexname", as: String.self) }
            #expect(!indexes.contains("activations_unfinished_updated_idx"))
            #expect(!indexes.contains("activation_timeline_request_idx"))
            #expect(indexes.contains("activations_wake_idx") && indexes.contains("activation_timeline_seq_idx"))
            // Migration 15: timeline entries have no serial key.
            #expect(!indexes.contains("activation_timeline_pkey"))
            // Migration 17: the allocating activations have an index of their own, the unfinished ones none by state.
            #expect(indexes.contains("activations_allocating_idx") && !indexes.contains("activations_unfinished_idx"))
            let compression = try await pool.query(
                """
                SELECT attcompression::text AS c FROM pg_attribute
                WHERE attrelid = to_regclass($1) AND attname = 'snapshot'
                """, ["\(schema).activations"]
            )[0].decode("c", as: String.self)
            #expect(compression == "l", "the server here is built with lz4")

            // New activations work next to the old ones.
            let (machine, actions) = try StoreFixtures.confirmed()
            _ = try await store.created(machine, actions)
            #expect(try await store.account(id: "acct-1")?.heldMinor == 3200)
            // The old entry keeps the id it is ordered by; new entries have none, and read back in order.
            let ids = try await pool.query("SELECT request_id, id FROM activation_timeline ORDER BY request_id")
                .map { (try $0.decode("request_id", as: String.self), try $0.decode("id", as: Int64?.self)) }
            #expect(ids.filter { $0.0 == "old-1" }.allSatisfy { $0.1 != nil })
            #expect(ids.filter { $0.0 == machine.request.requestID }.allSatisfy { $0.1 == nil })
            #expect(try await store.timeline(requestID: machine.request.requestID).map(\.kind) == machine.timeline.entries.map(\.kind))
        } catch {
            await pool.close()
            _ = try? await admin.query("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
            throw error
        }
        await pool.close()
        try await admin.query("DROP SCHEMA \(schema) CASCADE")
        await admin.close()
    }
}
