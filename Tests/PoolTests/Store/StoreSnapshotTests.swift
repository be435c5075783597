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
                SELECT snapshot ? 'request' AS has_request, snapshot ? 'policy' AS has_policy,
                    snapshot ? 'attempts' AS has_attempts, (policy->>'maxCancelDenials')::int AS denials
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
                "UPDATE activations SET snapshot = $1::jsonb, policy = NULL WHERE request_id = 'req-1'", [whole])

            let legacy = try #require(try await store.activation(requestID: "req-1"))
            #expect(legacy.machine == machine)
            #expect(legacy.machine.policy.maxCancelDenials == 4)

            let stepped = try await store.step(legacy) {
                try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 1), at: StoreFixtures.at(1))
            }
            let row = try await store.pool.query(
                """
                SELECT snapshot ? 'policy' AS has_policy, (policy->>'maxCancelDenials')::int AS denials
                FROM activations WHERE request_id = 'req-1'
                """).single()
            #expect(try row.decode("has_policy", as: Bool.self) == false)
            #expect(try row.decode("denials", as: Int.self) == 4, "the step moved the policy to its column")
            let loaded = try #require(try await store.activation(requestID: "req-1"))
            #expect(loaded.machine == stepped.machine.compacted())
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
