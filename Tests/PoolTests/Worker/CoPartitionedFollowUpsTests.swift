import Activation
import Foundation
import Kafka
import SupplierSimulator
import TestSupport
import Testing

@testable import Pool

@Suite("Activation worker: follow-ups fired by the owner of their request's partition")
struct CoPartitionedFollowUpsTests {
    /// Every partition of every tier topic numbered as one of `partitions`.
    static func tierPartitions(_ tiers: FollowUpTiers, _ partitions: some Sequence<Int32>) -> Set<TopicPartition> {
        Set(partitions.flatMap { partition in tiers.topics.map { TopicPartition(topic: $0, partition: partition) } })
    }

    static func requestPartitions(_ worker: ActivationWorker, _ topics: ActivationTopics) -> Set<Int32> {
        Set(worker.assignedPartitions.filter { $0.topic == topics.requests }.map(\.partition))
    }

    @Test("two workers read the tiers of the request partitions they own; each activation's follow-ups are on its partition; one leaves, the other takes its tiers")
    func ownersFireTheirFollowUps() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-copart", email: "copart@example.com", balanceMinor: 1_000_000))
            let one = try harness.startWorker(localFollowUps: .zero)
            let two = try harness.startWorker(localFollowUps: .zero)
            try await waitUntil("each worker reads the tiers of its request partitions", timeout: .seconds(60)) {
                let (first, second) = (Self.requestPartitions(one.worker, harness.topics), Self.requestPartitions(two.worker, harness.topics))
                return !first.isEmpty && !second.isEmpty && first.count + second.count == 3
                    && Set(one.worker.followUpPartitions) == Self.tierPartitions(harness.tiers, first)
                    && Set(two.worker.followUpPartitions) == Self.tierPartitions(harness.tiers, second)
            }
            #expect(one.worker.followUpsCoPartitioned && two.worker.followUpsCoPartitioned)

            let requests = (0..<12).map { _ in WorkerHarness.request(account: "acct-copart") }
            for request in requests { try await harness.submit(request) }
            try await harness.events.waitForAll(.completed, of: requests.map(\.requestID), timeout: .seconds(60))

            // Every activation polled at least once: its polls went to the 1 s tier's partition numbered as its request's.
            let polls = try await harness.records(of: harness.tiers.topics[0], atLeast: requests.count)
            var partitionOf: [String: Int32] = [:]
            for request in requests {
                partitionOf[request.requestID] = try #require(try await harness.store.activation(requestID: request.requestID)?.partition)
            }
            for record in polls {
                let requestID = try #require(record.keyString)
                #expect(record.partition == partitionOf[requestID], "\(requestID)'s follow-up is on its request's partition")
            }
            #expect(Set(polls.compactMap(\.keyString)) == Set(requests.map(\.requestID)))

            try await one.stop()
            try await waitUntil("the remaining worker reads every tier partition", timeout: .seconds(60)) {
                Set(two.worker.followUpPartitions) == Self.tierPartitions(harness.tiers, 0..<3)
            }
            try await two.stop()
        }
    }

    @Test("follow-ups kept in the owners' memory: none in the 1 s tier; one worker leaves, the other completes what it had")
    func followUpsKeptInMemory() async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.offers = [OfferOverride(country: "indonesia", smsDelay: .fixed(300))]  // 5 s here
        try await WorkerHarness.run(simulator: simulator) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-local", email: "local@example.com", balanceMinor: 1_000_000))
            let one = try harness.startWorker(localFollowUps: .seconds(60))
            let two = try harness.startWorker(localFollowUps: .seconds(60))
            try await waitUntil("each worker owns request partitions", timeout: .seconds(60)) {
                let (first, second) = (Self.requestPartitions(one.worker, harness.topics), Self.requestPartitions(two.worker, harness.topics))
                return !first.isEmpty && !second.isEmpty && first.count + second.count == 3
            }
            let requests = (0..<12).map { _ in WorkerHarness.request(account: "acct-local") }
            for request in requests { try await harness.submit(request) }
            try await harness.events.waitForAll(.completed, of: requests.map(\.requestID), timeout: .seconds(60))
            await #expect(throws: (any Error).self, "every poll stayed in memory: nothing reaches the 1 s tier") {
                try await harness.records(of: harness.tiers.topics[0], atLeast: 1, timeout: .seconds(5))
            }

            // Waiting for codes that take a while, one worker leaves: the other completes them.
            let later = (0..<6).map { _ in WorkerHarness.request(account: "acct-local", countries: ["indonesia"]) }
            for request in later { try await harness.submit(request) }
            try await harness.events.waitForAll(.numberAllocated, of: later.map(\.requestID), timeout: .seconds(60))
            try await one.stop()
            try await harness.events.waitForAll(.completed, of: later.map(\.requestID), timeout: .seconds(90))
            try await two.stop()
        }
    }

    @Test("a follow-up goes to its request's partition number only when co-partitioned and the tiers have that partition")
    func tierPartitions() {
        let placement = FollowUpPlacement()
        #expect(placement.tierPartition(for: 1) == nil, "not co-partitioned: the request ID's partition")
        placement.coPartition(partitions: 3)
        #expect(placement.isCoPartitioned)
        #expect([0, 1, 2].map(placement.tierPartition(for:)) == [0, 1, 2])
        #expect(placement.tierPartition(for: 3) == nil, "a requests partition added since the worker started")
        #expect(placement.tierPartition(for: nil) == nil, "a row without its partition")
    }

    @Test("tier topics with another partition count than the requests topic: the tiers are read by the group, and activations still complete")
    func mismatchedTiersFallBackToTheGroup() async throws {
        try await WorkerHarness.run(tierPartitions: 2) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-group", email: "group@example.com", balanceMinor: 1_000_000))
            let worker = try harness.startWorker()
            try await waitUntil("the worker's scheduler joined the tiers' group", timeout: .seconds(60)) {
                Set(worker.worker.followUpPartitions) == Self.tierPartitions(harness.tiers, 0..<2)
            }
            #expect(!worker.worker.followUpsCoPartitioned)
            let requests = (0..<3).map { _ in WorkerHarness.request(account: "acct-group") }
            for request in requests { try await harness.submit(request) }
            try await harness.events.waitForAll(.completed, of: requests.map(\.requestID), timeout: .seconds(60))
            try await worker.stop()
        }
    }
}
