import Activation
import Foundation
import Testing

@testable import Escalation

@Suite("Evidence records")
struct EvidenceTests {
    @Test func aFailedActivationCarriesEveryAttemptErrorAndDecision() throws {
        let (machine, events) = try Scenarios.noNumbersAnywhere()
        let failed = try #require(events.last)
        let evidence = EvidenceAssembler.assemble(EvidenceSource(
            requestID: "req-1", event: failed, machine: machine, accountEmail: "ops@example.com"))

        #expect(evidence.requestID == "req-1")
        #expect(evidence.accountID == "acct-1")
        #expect(evidence.accountEmail == "ops@example.com")
        #expect(evidence.idempotencyKey == "key-req-1")
        #expect(evidence.service == "tg")
        #expect(evidence.countries == ["russia", "indonesia"])
        #expect(evidence.numberType == "any")
        #expect(evidence.maxPrice == Money(amountMinor: 2500, currency: "USD"))
        #expect(evidence.submittedAt == Scenarios.t0)
        #expect(evidence.state == "failed")
        #expect(evidence.outcome == "failed")
        #expect(evidence.reasonCode == "no_inventory")
        #expect(evidence.attempts.count == machine.attempts.count)
        #expect(evidence.attempts.count >= 2)
        #expect(Set(evidence.attempts.map(\.spec.route.country)) == ["russia", "indonesia"])
        #expect(evidence.timeline == machine.timeline.entries)
        #expect(evidence.omittedTimelineEntries == 0)
        #expect(evidence.lastChangeAt == machine.timeline.entries.last?.at)
        #expect(evidence.errors.count == evidence.attempts.count, "one NO_NUMBERS per attempt")
        #expect(evidence.errors.allSatisfy { $0.reply == "NO_NUMBERS" && $0.reasonCode == "no_inventory" && $0.supplier == "alpha" })
        #expect(evidence.decisions.map(\.kind).last == .gaveUp)
        #expect(evidence.decisions.count == evidence.attempts.count)
        #expect(evidence.cancellations.isEmpty, "no number was bought")
        #expect(evidence.money == MoneyState(machine.ledger))
        #expect(evidence.money.refund == .releasedInFull)
        #expect(evidence.money.heldMinor == 2500 && evidence.money.releasedMinor == 2500 && evidence.money.outstandingMinor == 0)
        #expect(evidence.summary.hasPrefix("acct-1 (ops@example.com) asked for a tg number in russia, indonesia."))
        #expect(evidence.summary.contains("It failed after \(evidence.attempts.count) attempts"))
        #expect(evidence.summary.contains("The 25.00 USD hold was released in full (nothing charged)."))
        #expect(evidence.summary.contains("no_inventory ×\(evidence.attempts.count)"))
    }

    @Test func theCancellationWindowIsTracked() throws {
        let (machine, events) = try Scenarios.codeAfterCancel()
        let evidence = EvidenceAssembler.assemble(EvidenceSource(requestID: "req-1", event: events.last, machine: machine))
        let window = try #require(evidence.cancellations.first)
        #expect(evidence.cancellations.count == 1)
        #expect(window.attempt == 1)
        #expect(window.supplier == "alpha")
        #expect(window.supplierActivationID == "9001")
        #expect(window.cancellableAt == Scenarios.at(31))
        #expect(window.cancelRequestedAt == Scenarios.at(61))
        #expect(window.cancelledAt == Scenarios.at(63))
        #expect(window.deniedAt.isEmpty)
        #expect(evidence.reasonCode == "cancelled_after_code")
        #expect(evidence.attempts.first?.maskedCode == "12****")
        #expect(!evidence.timeline.contains { $0.detail.contains("123456") || ($0.supplierReply ?? "").contains("123456") },
                "the full code never reaches the evidence")
    }

    /// A request rejected at intake has no activation row: the event and the persisted timeline are enough.
    @Test func aRejectionWithoutAnActivation() {
        let at = Scenarios.at(5)
        let event = ActivationEvent.rejected(
            requestID: "req-7", accountID: "acct-2", service: "zz", reason: RejectionReason(.unknownService, "unknown service zz"),
            at: at)
        let entry = TimelineEntry(
            at: at, kind: .intakeRejected, attempt: 0, state: .rejected, detail: "unknown service zz; known: tg, wa",
            reasonCode: "unknown_service")
        let evidence = EvidenceAssembler.assemble(EvidenceSource(requestID: "req-7", event: event, timeline: [entry]))
        #expect(evidence.accountID == "acct-2")
        #expect(evidence.idempotencyKey == nil)
        #expect(evidence.service == "zz")
        #expect(evidence.outcome == "rejected")
        #expect(evidence.errors.map(\.reasonCode) == ["unknown_service"])
        #expect(evidence.money.refund == .nothingHeld)
        #expect(evidence.summary.contains("It was rejected at intake: "))
        #expect(evidence.reason?.contains("unknown service zz") == true)
        #expect(evidence.summary.contains("No money was held."))
    }

    @Test func evidenceRoundTripsThroughJSON() throws {
        let (machine, events) = try Scenarios.completedThenDisputed()
        let evidence = EvidenceAssembler.assemble(EvidenceSource(
            requestID: "req-1", event: events.last, machine: machine, accountEmail: "a@example.com"))
        #expect(evidence.outcome == "disputed")
        #expect(evidence.state == "completed")
        #expect(evidence.money.refund == .chargedRestReleased)
        let data = try WireFormat.makeEncoder().encode(evidence)
        #expect(try WireFormat.makeDecoder().decode(Evidence.self, from: data) == evidence)
        let keys = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]).keys
        #expect(Set(keys).isSuperset(of: ["request_id", "account_email", "idempotency_key", "cancellations", "money"]))
    }
}
