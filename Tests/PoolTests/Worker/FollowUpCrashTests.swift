import Activation
import Foundation
import Kafka
import SupplierSimulator
import Testing

@testable import Pool

@Suite("Activation worker: crash between a follow-up's step and the supplier's answer")
struct FollowUpCrashTests {
    // A worker took the waiting-window follow-up, stored its step (state `cancelling`, cancel in
    // flight) and died before the cancel reached the supplier. The redelivered follow-up is stale; the
    // liveness rule does not depend on it: once the activation is past its wake time by the stall
    // timeout (PostgreSQL's clock), the sweep resumes it and the cancel is sent.
    @Test("an activation left with a cancel in flight is resumed by the sweep: the lost cancel is sent")
    func lostCancelIsResent() async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.defaultOffer.smsDelay = .never
        try await WorkerHarness.run(simulator: simulator) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-fu", email: "fu@example.com", balanceMinor: 10_000))
            let request = WorkerHarness.request(account: "acct-fu")
            let purchase = try await WorkerRestartTests.writeAhead(request, harness)
            let number = try await harness.buy(purchase, maxPrice: request.maxPrice)
            let bought = try #require(try await harness.store.activation(requestID: request.requestID))
            var machine = bought.machine
            let afterPurchase = try machine.purchaseSucceeded(number, at: Date())
            guard case .applied(let waiting) = try await harness.store.apply(ActivationStep(from: bought, to: machine, actions: afterPurchase)) else {
                Issue.record("the purchase step was not applied")
                return
            }

            // The dead worker's step: the waiting window passed (told at a time past cancellable_at).
            let due = FollowUp(requestID: request.requestID, kind: .waitingWindow, attempt: 1, due: Date())
            let scheduled = try ActivationEngine.scheduled(due, trace: waiting.trace, partition: waiting.partition)
            var cancelling = waiting.machine
            let dueActions = cancelling.followUpDue(due, at: number.cancellableAt.addingTimeInterval(60))
            #expect(dueActions.contains { if case .cancel = $0 { true } else { false } })
            guard case .applied(let stalled) = try await harness.store.apply(
                ActivationStep(from: waiting, to: cancelling, actions: dueActions, stepID: "followup:\(scheduled.id)"))
            else {
                Issue.record("the follow-up step was not applied")
                return
            }
            #expect(stalled.state == .cancelling)
            #expect(harness.simulator.audit().cancels == 0)

            // Redelivered to a live engine: stale, it changes nothing. The sweep resumes the activation once
            // it is 3 s past its wake time (past the supplier's 2 s early-cancel window, so the resent cancel is
            // accepted).
            let engine = harness.engine(stallTimeout: .seconds(3))
            try await engine.handle(scheduled)
            #expect(harness.simulator.audit().cancels == 0)
            #expect(try await engine.resumeStalled(partitions: nil) == 0, "not stalled yet")
            let deadline = ContinuousClock.now + .seconds(60)
            while try await engine.resumeStalled(partitions: nil) == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }

            let audit = harness.simulator.audit()
            #expect(audit.cancels == 1)
            #expect(audit.refunds == 1)
            let after = try #require(try await harness.store.activation(requestID: request.requestID))
            #expect(after.state != .cancelling, "the activation moved on after the cancel: \(after.state)")
            #expect(after.machine.attempts.count >= 2 || after.state.isTerminal)
        }
    }
}
