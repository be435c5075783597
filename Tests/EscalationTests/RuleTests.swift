import Activation
import Foundation
import Testing

@testable import Escalation

@Suite("Escalation rules")
struct RuleTests {
    let rules = EscalationRules.standard

    @Test func noNumbersAnywhereFailsToTheSupplierFallbackQueue() throws {
        let (_, events) = try Scenarios.noNumbersAnywhere()
        let failed = try #require(events.last)
        #expect(failed.kind == .failed)
        #expect(events.dropLast().allSatisfy { rules.triggers(for: $0).isEmpty }, "retrying events do not escalate")
        let triggers = rules.triggers(for: failed)
        #expect(triggers.map(\.rule) == ["failed"])
        #expect(triggers.first?.queue == .supplierFallback)
        #expect(triggers.first?.id == failed.eventID)
        #expect(triggers.first?.reasonCode == "no_inventory")
    }

    @Test func aCodeAfterTheCancelGoesToRefunds() throws {
        let (_, events) = try Scenarios.codeAfterCancel()
        let cancelled = try #require(events.last)
        #expect(cancelled.kind == .cancelled)
        #expect(cancelled.reasonCode == "cancelled_after_code")
        let triggers = rules.triggers(for: cancelled)
        #expect(triggers.map(\.rule) == ["code-after-cancel"])
        #expect(triggers.first?.queue == .refunds)
        #expect(triggers.first?.detail.contains("after the cancel of attempt 1") == true)
    }

    @Test func aDisputeGoesToRefundsAndTheCompletionDoesNotEscalate() throws {
        let (_, events) = try Scenarios.completedThenDisputed()
        #expect(events.map(\.kind) == [.numberAllocated, .codeReceived, .completed, .disputed])
        #expect(rules.triggers(for: events[2]).isEmpty)
        #expect(rules.triggers(for: events[3]).map(\.rule) == ["dispute"])
    }

    @Test func clientMistakesGoToTheClientWorkflowQueue() {
        let unknownService = ActivationEvent.rejected(
            requestID: "req-9", accountID: "acct-1", service: "zz",
            reason: RejectionReason(.unknownService, "unknown service zz"), at: Scenarios.at(0))
        #expect(rules.triggers(for: unknownService).map(\.queue) == [.clientWorkflow])
        let malformed = ActivationEvent.rejected(
            requestID: "req-10", accountID: nil, service: nil, reason: RejectionReason(.malformedJSON, "truncated"),
            at: Scenarios.at(0))
        #expect(rules.triggers(for: malformed).isEmpty, "undecodable input is the DLQ's business, not an owner's")
    }

    @Test func repeatedServerErrorsNeedTheMinimumCount() {
        var summary = TimelineSummary(entries: [], omittedEntries: 0, attempts: [], ledger: HoldLedger(currency: "USD"))
        func entry(_ seconds: Double) -> TimelineEntry {
            TimelineEntry(at: Scenarios.at(seconds), kind: .pollFailed, attempt: 1, state: .waitingCode,
                          detail: "server_error", supplierReply: "ERROR_SQL", reasonCode: "server_error")
        }
        summary.entries = [entry(1), entry(2)]
        var event = ActivationEvent(
            eventID: "req-1#9", kind: .completed, requestID: "req-1", accountID: "acct-1", attempt: 1, state: .completed,
            occurredAt: Scenarios.at(3))
        event.timeline = summary
        #expect(rules.triggers(for: event).isEmpty)
        event.timeline?.entries.append(entry(2.5))
        #expect(rules.triggers(for: event).map(\.rule) == ["supplier-server-errors"])
    }

    @Test func theConfigFileIsTheStandardRuleSet() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/escalation.yaml").path
        let loaded = try EscalationRules.load(path: path)
        #expect(loaded == EscalationRules.standard)
    }

    @Test(arguments: [
        ("rules: [{name: a, queue: billing}]", "rules[0] (a).queue \"billing\" is unknown; use one of refunds, supplier-fallback, client-workflow"),
        ("rules: [{name: a, queue: refunds, kinds: [exploded]}]", "rules[0] (a).kinds \"exploded\" is unknown"),
        ("rules: [{name: a, queue: refunds, when: sometimes}]", "rules[0] (a).when \"sometimes\" is unknown; use one of code_after_cancel"),
        ("rules: [{queue: refunds}]", "rules[0].name is missing"),
        ("rules: [{name: a, queue: refunds}, {name: a, queue: refunds}]", "rules[1] (a).name is used twice"),
        ("rules: [{name: a, queue: refunds, min_count: 0}]", "rules[0] (a).min_count is 0; use 1 or more"),
        ("stuck: {grace_seconds: -5}", "stuck.grace_seconds is -5.0; use a positive number of seconds"),
        ("rules: {name: a}", "is not a valid rules file"),
    ])
    func badRulesSayWhatToFix(yaml: String, message: String) {
        #expect {
            try EscalationRules(yaml: yaml, source: "test.yaml")
        } throws: { error in
            let error = error as? EscalationError
            return error?.code == .invalidConfiguration && error?.message.contains(message) == true
                && error?.message.hasPrefix("test.yaml") == true
        }
    }
}
