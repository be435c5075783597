import Activation
import Escalation
import Foundation
import Pool
import Testing

@Suite("Store: escalation records")
struct StoreEscalationTests {
    static func evidence(_ requestID: String, account: String = "acct-1", at seconds: Double = 10) -> Evidence {
        var event = ActivationEvent(
            eventID: "\(requestID)#5", kind: .expired, requestID: requestID, accountID: account, attempt: 2, state: .expired,
            occurredAt: StoreFixtures.at(seconds))
        event.service = "tg"
        event.reasonCode = "code_never_arrived"
        return EvidenceAssembler.assemble(EvidenceSource(requestID: requestID, event: event))
    }

    static func trigger(_ id: String, rule: String, priority: Int, queue: EscalationQueue, at seconds: Double = 10) -> EscalationTrigger {
        EscalationTrigger(
            id: id, rule: rule, priority: priority, queue: queue, source: "expired", reasonCode: nil, at: StoreFixtures.at(seconds),
            detail: rule)
    }

    @Test func createUpdateAndReplay() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let expired = Self.trigger("req-a#5", rule: "expired", priority: 6, queue: .supplierFallback)
            #expect(try await store.recordEscalation(triggers: [expired], evidence: Self.evidence("req-a")) == .created)
            #expect(try await store.recordEscalation(triggers: [expired], evidence: Self.evidence("req-a")) == .unchanged)
            #expect(try await store.recordEscalation(triggers: [], evidence: Self.evidence("req-b")) == .unchanged,
                    "no triggers and no record: nothing to refresh")
            #expect(try await store.escalation(requestID: "req-b") == nil)

            let dispute = Self.trigger("req-a#6", rule: "dispute", priority: 1, queue: .refunds, at: 20)
            #expect(try await store.recordEscalation(triggers: [dispute], evidence: Self.evidence("req-a", at: 20)) == .updated)
            let record = try #require(try await store.escalation(requestID: "req-a"))
            #expect(record.queue == .refunds, "the dispute rule comes first")
            #expect(record.triggers.map(\.rule) == ["expired", "dispute"])
            #expect(record.evidence.lastChangeAt == StoreFixtures.at(20))
            // An older view never replaces a newer one.
            #expect(try await store.recordEscalation(triggers: [], evidence: Self.evidence("req-a", at: 15)) == .unchanged)
        }
    }

    @Test func concurrentWritersLoseNothing() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let triggers = (0..<8).map { Self.trigger("req-c#\($0)", rule: "rule-\($0)", priority: $0, queue: .supplierFallback) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for trigger in triggers {
                    group.addTask {
                        // A writer that lost the race to create the record is told to try again.
                        while true {
                            do {
                                try await store.recordEscalation(triggers: [trigger], evidence: Self.evidence("req-c"))
                                return
                            } catch let error as PoolStoreError where error.code == .concurrentChange {
                                continue
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let record = try #require(try await store.escalation(requestID: "req-c"))
            #expect(Set(record.triggers.map(\.id)) == Set(triggers.map(\.id)))
        }
    }

    @Test func listFiltersTakeAndResolve() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.recordEscalation(
                triggers: [Self.trigger("r1#1", rule: "expired", priority: 6, queue: .supplierFallback)],
                evidence: Self.evidence("r1", account: "acct-1"), at: StoreFixtures.at(100))
            try await store.recordEscalation(
                triggers: [Self.trigger("r2#1", rule: "dispute", priority: 1, queue: .refunds)],
                evidence: Self.evidence("r2", account: "acct-2"), at: StoreFixtures.at(200))
            try await store.recordEscalation(
                triggers: [Self.trigger("r3#1", rule: "client-input", priority: 8, queue: .clientWorkflow)],
                evidence: Self.evidence("r3", account: "acct-2"), at: StoreFixtures.at(300))

            #expect(try await store.escalations().map(\.requestID) == ["r3", "r2", "r1"], "newest first")
            #expect(try await store.escalations(EscalationFilter(queue: .refunds)).map(\.requestID) == ["r2"])
            #expect(try await store.escalations(EscalationFilter(accountID: "acct-2")).map(\.requestID) == ["r3", "r2"])
            #expect(try await store.escalations(EscalationFilter(since: StoreFixtures.at(150))).map(\.requestID) == ["r3", "r2"])
            #expect(try await store.escalations(EscalationFilter(limit: 1)).map(\.requestID) == ["r3"])
            let listing = try #require(try await store.escalations(EscalationFilter(queue: .clientWorkflow)).first)
            #expect(listing.rules == ["client-input"])
            #expect(listing.outcome == "expired")
            #expect(listing.service == "tg")
            #expect(listing.status == .open)

            let taken = try await store.updateEscalation(requestID: "r2") { $0.started(at: StoreFixtures.at(400)) }
            #expect(taken?.status == .inProgress)
            let resolved = try await store.updateEscalation(requestID: "r2") {
                $0.resolved(note: "refunded 10.00 USD", by: "dana", at: StoreFixtures.at(500))
            }
            #expect(resolved?.status == .resolved)
            #expect(try await store.escalation(requestID: "r2")?.resolution == EscalationResolution(note: "refunded 10.00 USD", by: "dana", at: StoreFixtures.at(500)))
            #expect(try await store.escalations(EscalationFilter(status: .resolved)).map(\.requestID) == ["r2"])
            #expect(try await store.updateEscalation(requestID: "nope") { $0 } == nil)

            let counts = try await store.escalationCounts()
            #expect(counts[.refunds] == [.resolved: 1])
            #expect(counts[.supplierFallback] == [.open: 1])
            #expect(counts[.clientWorkflow] == [.open: 1])
            let oldest = try await store.oldestOpenEscalations(now: StoreFixtures.at(1_000))
            #expect(oldest == [.supplierFallback: 900, .clientWorkflow: 700], "the resolved refunds record is not open")
        }
    }
}
