import Activation
import Foundation
import Pool
import Testing

@Suite("ActivationStore: liveness and the purchase claim")
struct StoreLivenessTests {
    /// A sweep that read an activation as stalled must not resume it once its owner claimed the purchase: the
    /// claim moves the version and the wake time.
    @Test func aPurchaseClaimTakesTheActivationOutOfTheSweep() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let stored = try await store.created(machine, actions)
            let seen = try await store.stalledActivations(topic: nil, partitions: nil, stallTimeout: .zero)
            #expect(seen.map(\.requestID) == ["req-1"], "a purchase in flight is due at once")
            #expect(seen.first?.version == stored.version)

            #expect(try await store.claimPurchase(requestID: "req-1", epoch: stored.epoch + 1, hold: .zero, attempt: 1) == nil, "another epoch owns it")
            #expect(try await store.claimPurchase(requestID: "req-unknown", epoch: 0, hold: .zero, attempt: 1) == nil)
            #expect(try await store.claimPurchase(requestID: "req-1", epoch: stored.epoch, hold: .seconds(60), attempt: 1) == stored.version + 1)

            let claimed = try #require(try await store.activation(requestID: "req-1"))
            #expect(claimed.version == stored.version + 1, "a sweep's resume at the version it saw conflicts")
            #expect(claimed.machine == stored.machine.compacted(), "the claim changes no state")
            #expect(try await store.stalledActivations(topic: nil, partitions: nil, stallTimeout: .zero).isEmpty,
                    "held a minute ahead: nobody looks for the purchase before it could have landed")

            // The resume a sweep prepared from its stale read does not apply.
            var resumed = stored.machine
            let resumeActions = resumed.resume(at: StoreFixtures.at(30))
            var step = try ActivationStep(from: stored, to: resumed, actions: resumeActions, stepID: "resume:\(stored.version)")
            step.bumpsEpoch = true
            guard case .conflict = try await store.apply(step) else {
                Issue.record("a resume at the version seen before the claim must conflict")
                return
            }
        }
    }

    /// What a worker given request partitions arms follow-ups for: their unfinished activations, of its topic.
    @Test func theUnfinishedActivationsOfPartitionsAreListedAndReadTogether() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 100_000))
            for (index, partition) in [Int32(0), 1, 1, 2].enumerated() {
                let (machine, actions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-\(index)"))
                _ = try await store.intake(machine, actions: actions, partition: partition, topic: "requests")
            }
            let (other, otherActions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-other"))
            _ = try await store.intake(other, actions: otherActions, partition: 1, topic: "another.requests")
            // One of partition 1's ends.
            let ended = try #require(try await store.activation(requestID: "req-2"))
            _ = try await store.step(ended) {
                try $0.purchaseFailed(SupplierFailure(.noBalance, message: "NO_BALANCE"), at: StoreFixtures.at(1))
            }

            let unfinished = try await store.unfinishedActivations(topic: "requests", partitions: [1, 2])
            #expect(Set(unfinished) == ["req-1", "req-3"])
            #expect(try await store.unfinishedActivations(topic: nil, partitions: [1]).sorted() == ["req-1", "req-other"])
            #expect(try await store.unfinishedActivations(topic: "requests", partitions: []).isEmpty)

            let read = try await store.activations(requestIDs: unfinished + ["req-unknown"])
            #expect(Set(read.map(\.requestID)) == ["req-1", "req-3"])
            #expect(read.allSatisfy { $0.state == .allocating })
        }
    }

    @Test func aFinishedActivationCannotBeClaimed() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            var stored = try await store.created(machine, actions)
            stored = try await store.step(stored) {
                try $0.purchaseFailed(SupplierFailure(.noBalance, message: "NO_BALANCE"), at: StoreFixtures.at(1))
            }
            #expect(stored.state == .failed)
            #expect(try await store.claimPurchase(requestID: "req-1", epoch: stored.epoch, hold: .zero, attempt: 1) == nil)
        }
    }
}
