import Activation
import Foundation
import Testing

@testable import Escalation

@Suite("Escalation records: idempotent merging")
struct MergeTests {
    let rules = EscalationRules.standard

    func record() throws -> (Escalation, ActivationStateMachine, [ActivationEvent]) {
        let (machine, events) = try Scenarios.completedThenDisputed()
        let disputed = try #require(events.last)
        let evidence = EvidenceAssembler.assemble(EvidenceSource(requestID: "req-1", event: disputed, machine: machine))
        return (Escalation(triggers: rules.triggers(for: disputed), evidence: evidence, at: Scenarios.at(200)), machine, events)
    }

    @Test func aReplayedEventChangesNothing() throws {
        let (record, machine, events) = try record()
        #expect(record.queue == .refunds)
        #expect(record.status == .open)
        #expect(record.triggers.count == 1)
        for event in events {
            let evidence = EvidenceAssembler.assemble(EvidenceSource(requestID: "req-1", event: event, machine: machine))
            #expect(record.merging(rules.triggers(for: event), evidence: evidence, at: Scenarios.at(300)) == nil)
        }
    }

    @Test func olderEvidenceNeverReplacesNewer() throws {
        let (record, _, _) = try record()
        var older = record.evidence
        older.lastChangeAt = Scenarios.at(1)
        older.outcome = "completed"
        #expect(record.merging([], evidence: older, at: Scenarios.at(300)) == nil)
    }

    @Test func aNewTriggerReopensAResolvedRecordAndTakesTheQueueByPriority() throws {
        let (record, _, _) = try record()
        let resolved = record.resolved(note: "refunded 10.00 USD by hand", by: "dana", at: Scenarios.at(400))
        #expect(resolved.status == .resolved)
        #expect(resolved.resolution?.note == "refunded 10.00 USD by hand")

        let banned = EscalationTrigger(
            id: "req-1#99", rule: "supplier-banned", priority: 4, queue: .supplierFallback, source: "failed",
            reasonCode: "banned", at: Scenarios.at(500), detail: "banned")
        let reopened = try #require(resolved.merging([banned], evidence: record.evidence, at: Scenarios.at(501)))
        #expect(reopened.status == .open)
        #expect(reopened.resolution?.by == "dana", "the previous resolution stays readable")
        #expect(reopened.triggers.map(\.rule) == ["dispute", "supplier-banned"])
        #expect(reopened.queue == .refunds, "the dispute rule comes first")
        #expect(reopened.updatedAt == Scenarios.at(501))
        #expect(reopened.merging([banned], evidence: record.evidence, at: Scenarios.at(600)) == nil)
    }
}
