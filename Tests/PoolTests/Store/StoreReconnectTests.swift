import Activation
import Foundation
import Pool
import Postgres
import TestSupport
import Testing

@Suite("ActivationStore: a lost connection")
struct StoreReconnectTests {
    /// The step's statement waits on a row lock another session holds; its backend is terminated meanwhile.
    /// The call fails retriably, nothing is written, and the same step applied again moves the money once.
    @Test func aBackendKilledMidStepFailsRetriablyAndTheRetrySucceeds() async throws {
        let application = uniqueName("store_kill", separator: "_")
        try await StoreTestDatabase.withStore(application: application, maximumConnections: 1) { store, schema in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let created = try await store.created(machine, actions)
            var next = created.machine
            let stepActions = try next.purchaseFailed(SupplierFailure(.noBalance), at: StoreFixtures.at(1))
            let step = try ActivationStep(from: created, to: next, actions: stepActions)

            let blocker = try await TestDatabase.connect()
            let admin = try await TestDatabase.connect()
            try await blocker.query("BEGIN")
            try await blocker.query("SELECT 1 FROM \(schema).activations WHERE request_id = $1 FOR UPDATE", ["req-1"])

            async let attempt: ApplyOutcome = store.apply(step)
            try await waitUntil("the step waits for the row lock", timeout: .seconds(10)) {
                try await admin.query(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
                    [application]
                ).single().decode("n", as: Int.self) == 1
            }
            try await admin.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [application])
            var failure: (any Error)?
            do { _ = try await attempt } catch { failure = error }
            try await blocker.query("ROLLBACK")
            await blocker.close()
            await admin.close()

            let error = try #require(failure as? PoolStoreError, "got \(String(describing: failure))")
            #expect(error.isRetriable)
            #expect(error.code == .database)
            #expect(try await store.account(id: "acct-1")?.heldMinor == 2500, "nothing was written")

            guard case .applied(let applied) = try await store.apply(step) else {
                Issue.record("the retry should apply")
                return
            }
            #expect(applied.version == 2)
            let account = try #require(try await store.account(id: "acct-1"))
            #expect(account.heldMinor == 0)
            #expect(account.balanceMinor == 10_000)
        }
    }
}
