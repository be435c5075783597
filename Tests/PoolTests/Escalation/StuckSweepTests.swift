import Activation
import Escalation
import Foundation
import Kafka
import Pool
import Testing

@Suite("Escalation worker: the stuck-activation sweep")
struct StuckSweepTests {
    @Test func anActivationWithoutATerminalEventIsRecordedOnce() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await store.upsertAccount(StoreFixtures.account("acct-stuck"))
            let (machine, actions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-stuck", account: "acct-stuck"))
            _ = try await store.created(machine, actions)
            // The sweep never touches Kafka; the consumer is created but never started.
            let worker = try EscalationWorker(
                configuration: EscalationWorkerConfiguration(
                    consumer: KafkaConsumerConfiguration(client: KafkaClientOptions(bootstrapServers: ["127.0.0.1:9"]), groupID: "stuck")),
                store: store, logger: PoolTestSupport.logger)

            #expect(await worker.sweep(at: Date()) == 0, "not stuck before lifetime + grace")
            let later = Date().addingTimeInterval(Double(EscalationRules.standard.stuck.stuckAfter.components.seconds) + 60)
            #expect(await worker.sweep(at: later) == 1)
            #expect(await worker.sweep(at: later.addingTimeInterval(60)) == 0, "a second sweep changes nothing")

            let record = try #require(try await store.escalation(requestID: "req-stuck"))
            #expect(record.queue == .refunds)
            #expect(record.triggers.map(\.rule) == ["stuck"])
            #expect(record.triggers.first?.detail.contains("still allocating") == true)
            #expect(record.evidence.outcome == "stuck")
            #expect(record.evidence.state == "allocating")
            #expect(record.evidence.accountEmail == "acct-stuck@example.com")
            #expect(record.evidence.money.refund == .stillHeld)
            #expect(record.evidence.money.outstandingMinor == 2500)
            #expect(record.evidence.summary.contains("It is stuck in allocating"))
            #expect(worker.statistics.stuck == 1)
        }
    }
}
