import Activation
import Escalation
import Foundation
import Pool
import SupplierSimulator
import TestSupport
import Testing

/// A scripted scenario per rule: the supplier simulator, an activation worker and an escalation worker,
/// asserting the records the escalation worker writes.
@Suite("Escalation worker: a scenario per rule")
struct EscalationScenarioTests {
    @Test("expired → supplier-fallback, with every field of the evidence")
    func expired() async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.defaultOffer.smsDelay = .never
        try await WorkerHarness.run(simulator: simulator, policy: NoCodeExpiryTests.policy) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-exp", email: "exp@example.com", balanceMinor: 10_000))
            try await harness.running(try harness.escalationWorker()) {
                try await harness.withWorker {
                    let request = WorkerHarness.request(account: "acct-exp", countries: ["usa"])
                    try await harness.submit(request)
                    let expired = try #require(try await harness.events.waitFor(.expired, of: request.requestID, timeout: .seconds(90)).last)
                    let record = try await harness.escalation(request.requestID)
                    let stored = try #require(try await harness.store.activation(requestID: request.requestID))
                    let timeline = try await harness.store.timeline(requestID: request.requestID)

                    #expect(record.requestID == request.requestID)
                    #expect(record.accountID == "acct-exp")
                    #expect(record.queue == .supplierFallback)
                    #expect(record.status == .open)
                    #expect(record.resolution == nil)
                    let trigger = try #require(record.triggers.first)
                    #expect(record.triggers.count == 1)
                    #expect(trigger.rule == "expired")
                    #expect(trigger.id == expired.eventID)
                    #expect(trigger.source == "expired")
                    #expect(trigger.reasonCode == "code_never_arrived")
                    #expect(trigger.at == expired.occurredAt)

                    let evidence = record.evidence
                    #expect(evidence.requestID == request.requestID)
                    #expect(evidence.accountID == "acct-exp")
                    #expect(evidence.accountEmail == "exp@example.com")
                    #expect(evidence.idempotencyKey == request.idempotencyKey)
                    #expect(evidence.service == "tg")
                    #expect(evidence.countries == ["usa"])
                    #expect(evidence.numberType == "any")
                    #expect(evidence.maxPrice == request.maxPrice)
                    #expect(evidence.submittedAt == stored.request.submittedAt)
                    #expect(evidence.state == "expired")
                    #expect(evidence.outcome == "expired")
                    #expect(evidence.reasonCode == "code_never_arrived")
                    #expect(evidence.reason?.contains("chain_exhausted") == true)
                    #expect(evidence.lastChangeAt == timeline.last?.at)

                    // Every attempt with its supplier, number, supplier activation ID, price and times.
                    #expect(evidence.attempts == stored.machine.attempts)
                    #expect(evidence.attempts.count == 2)
                    #expect(Set(evidence.attempts.map(\.spec.route.supplier)).count == 2)
                    for attempt in evidence.attempts {
                        let number = try #require(attempt.number)
                        #expect(!number.phoneNumber.isEmpty && !number.supplierActivationID.isEmpty)
                        #expect(number.priceMinor != nil)
                        #expect(attempt.failure == .codeNeverArrived)
                        #expect(attempt.endedAt != nil)
                    }
                    // The full timeline, in the order PostgreSQL keeps it.
                    #expect(evidence.timeline == timeline)
                    #expect(evidence.omittedTimelineEntries == 0)
                    #expect(evidence.decisions.map(\.kind) == [.retryDecided, .gaveUp])
                    #expect(evidence.decisions.map(\.reasonCode) == ["code_never_arrived", "chain_exhausted"])
                    // Cancellation-window tracking per bought number.
                    #expect(evidence.cancellations.count == 2)
                    for (window, attempt) in zip(evidence.cancellations, evidence.attempts) {
                        #expect(window.attempt == attempt.spec.number)
                        #expect(window.supplier == attempt.spec.route.supplier)
                        #expect(window.supplierActivationID == attempt.number?.supplierActivationID)
                        #expect(window.cancellableAt == attempt.number?.cancellableAt)
                        let requested = try #require(window.cancelRequestedAt)
                        let cancelled = try #require(window.cancelledAt)
                        #expect(requested <= cancelled)
                        #expect(cancelled >= window.cancellableAt, "never cancelled inside the early-cancel window")
                        #expect(window.deniedAt.isEmpty)
                    }
                    #expect(evidence.errors.allSatisfy { $0.supplier != nil })
                    // Money: the whole hold went back.
                    #expect(evidence.money.heldMinor == request.maxPrice.amountMinor)
                    #expect(evidence.money.debitedMinor == 0)
                    #expect(evidence.money.releasedMinor == request.maxPrice.amountMinor)
                    #expect(evidence.money.outstandingMinor == 0)
                    #expect(evidence.money.refund == .releasedInFull)
                    #expect(evidence.summary.hasPrefix("acct-exp (exp@example.com) asked for a tg number in usa."))
                    #expect(evidence.summary.contains("It expired after 2 attempts"))
                    #expect(evidence.summary.contains("hold was released in full"))
                }
            }
        }
    }

    @Test("no numbers and repeated 5xx → supplier-fallback; a wrong service code → client-workflow; a replay changes nothing")
    func supplierFaultsClientMistakesAndReplay() async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.offers = [
            OfferOverride(country: "usa", inventory: 0),
            OfferOverride(country: "russia", errorRate: 1.0),
            OfferOverride(country: "indonesia", errorRate: 1.0),
        ]
        try await WorkerHarness.run(simulator: simulator) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-sup", email: "sup@example.com", balanceMinor: 100_000))
            let noNumbers = WorkerHarness.request(account: "acct-sup", countries: ["usa"])
            let serverErrors = WorkerHarness.request(account: "acct-sup", countries: ["russia", "indonesia"])
            let wrongService = WorkerHarness.request(account: "acct-sup", countries: ["usa"], service: "zz")
            let first = try harness.escalationWorker()
            var records: [String: Escalation] = [:]
            try await harness.running(first) {
                try await harness.withWorker {
                    for request in [noNumbers, serverErrors, wrongService] { try await harness.submit(request) }
                    try await harness.events.waitForAll(.failed, of: [noNumbers.requestID, serverErrors.requestID])
                    _ = try await harness.events.waitFor(.rejected, of: wrongService.requestID)
                    for request in [noNumbers, serverErrors, wrongService] {
                        records[request.requestID] = try await harness.escalation(request.requestID)
                    }
                }
            }

            let empty = try #require(records[noNumbers.requestID])
            #expect(empty.queue == .supplierFallback)
            #expect(empty.triggers.map(\.rule) == ["failed"])
            #expect(empty.evidence.reasonCode == "no_inventory")
            #expect(empty.evidence.errors.count == empty.evidence.attempts.count)
            #expect(empty.evidence.errors.allSatisfy { $0.step == "purchase_failed" && $0.reasonCode == "no_inventory" && $0.reply != nil })
            #expect(empty.evidence.cancellations.isEmpty)
            #expect(empty.evidence.money.refund == .releasedInFull)

            let failing = try #require(records[serverErrors.requestID])
            #expect(failing.queue == .supplierFallback)
            #expect(failing.triggers.map(\.rule) == ["supplier-server-errors", "failed"])
            #expect(Set(failing.triggers.map(\.id)).count == 1, "both rules matched the one failed event")
            let serverErrorCount = failing.evidence.errors.filter { $0.reasonCode == "server_error" }.count
            #expect(serverErrorCount >= 3)
            #expect(failing.evidence.errors.allSatisfy { $0.reply != nil }, "the supplier's replies verbatim")
            #expect(Set(failing.evidence.attempts.map(\.spec.route.country)) == ["russia", "indonesia"])

            let client = try #require(records[wrongService.requestID])
            #expect(client.queue == .clientWorkflow)
            #expect(client.triggers.map(\.rule) == ["client-input"])
            #expect(client.evidence.outcome == "rejected")
            #expect(client.evidence.reasonCode == "unknown_service")
            #expect(client.evidence.accountEmail == "sup@example.com")
            #expect(client.evidence.idempotencyKey == wrongService.idempotencyKey, "the rejected request is kept too")
            #expect(client.evidence.errors.map(\.step) == ["intake_rejected"])
            #expect(client.evidence.money.refund == .nothingHeld)

            // Replay: another group reads the whole topic again. Nothing is created, nothing changes.
            let escalating = first.statistics.created + first.statistics.updated + first.statistics.unchanged
            #expect(first.statistics.created == 3)
            #expect(first.statistics.skipped == 0)
            let replay = try harness.escalationWorker()
            try await harness.running(replay) {
                try await waitUntil("the replay read every event", timeout: .seconds(30)) {
                    replay.statistics.events >= first.statistics.events
                }
            }
            #expect(replay.statistics.created == 0)
            #expect(replay.statistics.updated == 0)
            #expect(replay.statistics.unchanged == escalating)
            for (requestID, record) in records {
                #expect(try await harness.store.escalation(requestID: requestID) == record, "\(requestID) is unchanged")
            }
            #expect(try await harness.store.escalations().count == 3)
        }
    }

    @Test("a dispute and a code after the cancel → refunds; a finish after the end → client-workflow")
    func refundsAndLateCommands() async throws {
        // Supplier time at 10x, with seconds of margin on each side so that a loaded machine keeps the order:
        // the other codes come at 0.1 s, well inside the 4 s waiting window; Indonesia's at 80 supplier seconds
        // = 8 s, after the window and before cancellable_at (120 supplier seconds = 12 s).
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.timeScale = 10
        simulator.offers = [OfferOverride(country: "indonesia", smsDelay: .fixed(80))]
        var policy = WorkerHarness.defaultPolicy()
        policy.pollInterval = .milliseconds(250)
        policy.waitingWindow = .seconds(4)
        try await WorkerHarness.run(simulator: simulator, policy: policy) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-ref", email: "ref@example.com", balanceMinor: 100_000))
            try await harness.running(try harness.escalationWorker()) {
                try await harness.withWorker {
                    let disputed = WorkerHarness.request(account: "acct-ref", countries: ["russia"])
                    let late = WorkerHarness.request(account: "acct-ref", countries: ["indonesia"])
                    let finishedTwice = WorkerHarness.request(account: "acct-ref", countries: ["russia"])
                    for request in [disputed, late, finishedTwice] { try await harness.submit(request) }
                    try await harness.events.waitForAll(.completed, of: [disputed.requestID, late.requestID, finishedTwice.requestID])

                    let dispute = ActivationCommand(
                        commandID: uniqueName("cmd"), requestID: disputed.requestID, kind: .dispute,
                        issuedAt: Date(), reason: "the code was rejected by the app")
                    try await harness.command(dispute)
                    let finish = ActivationCommand(
                        commandID: uniqueName("cmd"), requestID: finishedTwice.requestID, kind: .finish, issuedAt: Date())
                    try await harness.command(finish)

                    let disputeRecord = try await harness.escalation(disputed.requestID)
                    let disputedEvent = try #require(try await harness.events.waitFor(.disputed, of: disputed.requestID).last)
                    #expect(disputeRecord.queue == .refunds)
                    #expect(disputeRecord.triggers.map(\.rule) == ["dispute"])
                    #expect(disputeRecord.triggers.first?.id == disputedEvent.eventID)
                    #expect(disputeRecord.evidence.outcome == "disputed")
                    #expect(disputeRecord.evidence.state == "completed")
                    #expect(disputeRecord.evidence.timeline.last?.kind == .disputed)
                    #expect(disputeRecord.evidence.timeline.last?.detail.contains("the code was rejected by the app") == true)
                    #expect(disputeRecord.evidence.money.refund == .chargedRestReleased)
                    let price = try #require(disputeRecord.evidence.attempts.first?.number?.priceMinor)
                    #expect(disputeRecord.evidence.money.debitedMinor == price)

                    let lateRecord = try await harness.escalation(late.requestID)
                    #expect(lateRecord.queue == .refunds)
                    #expect(lateRecord.triggers.map(\.rule) == ["code-after-cancel"])
                    let attempt = try #require(lateRecord.evidence.attempts.first)
                    let cancelAsked = try #require(attempt.cancelRequestedAt)
                    let codeAt = try #require(attempt.codeReceivedAt)
                    #expect(codeAt >= cancelAsked)
                    #expect(lateRecord.evidence.cancellations.first?.cancelRequestedAt == cancelAsked)
                    #expect(lateRecord.evidence.cancellations.first?.cancelledAt == nil, "the code came before the cancel was sent")
                    #expect(lateRecord.evidence.outcome == "completed")

                    let lateCommand = try await harness.escalation(finishedTwice.requestID)
                    #expect(lateCommand.queue == .clientWorkflow)
                    #expect(lateCommand.triggers.map(\.rule) == ["late-command"])
                    #expect(lateCommand.triggers.first?.reasonCode == "invalid_state")
                    #expect(lateCommand.evidence.outcome == "completed", "the activation's outcome, not the refusal")
                    #expect(lateCommand.evidence.money.refund == .chargedRestReleased)
                }
            }
        }
    }

    @Test("bad records on the events topic are skipped with a count; the worker goes on")
    func badEventsAreSkipped() async throws {
        try await WorkerHarness.run { harness in
            let worker = try harness.escalationWorker()
            try await harness.running(worker) {
                try await harness.publishRawEvent(Data("not json at all".utf8), key: "bad-1")
                try await harness.publishRawEvent(Data(#"{"schema_version": 9, "event_id": "x#1"}"#.utf8), key: "bad-2")
                var future = ActivationEvent(
                    eventID: "bad-3#1", kind: .failed, requestID: "bad-3", accountID: nil, attempt: 1, state: .failed, occurredAt: Date())
                future.schemaVersion = 2
                try await harness.publishRawEvent(try WireFormat.encode(future), key: "bad-3")
                try await harness.publishRawEvent(Data([0xFF, 0xFE, 0x00]), key: "bad-4")

                var failed = ActivationEvent(
                    eventID: "orphan#4", kind: .failed, requestID: "orphan", accountID: "acct-unknown", attempt: 2, state: .failed,
                    occurredAt: Date())
                failed.reasonCode = "banned"
                failed.reason = "gave up: the supplier banned the account"
                try await harness.publishRawEvent(try WireFormat.encode(failed), key: "orphan")

                let record = try await harness.escalation("orphan")
                #expect(record.queue == .supplierFallback)
                #expect(record.evidence.accountEmail == nil, "no such account: the record says so rather than failing")
                #expect(record.evidence.reason == "gave up: the supplier banned the account")
                // The record is committed before the worker counts it: wait for the count, not only for the row.
                try await waitUntil("the bad records skipped and the orphan's record counted") {
                    let statistics = worker.statistics
                    return statistics.skipped == 4 && statistics.created == 1
                }
                #expect(worker.statistics.failed == 0)
            }
        }
    }
}
