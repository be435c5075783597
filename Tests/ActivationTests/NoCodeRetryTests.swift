import Foundation
import Testing

@testable import Activation

@Suite("State machine: no numbers, no SMS, retries")
struct NoCodeRetryTests {
    let policy = ActivationPolicy(waitingWindow: .seconds(60))

    @Test func noNumbersInTheFirstCountryRetriesInTheNext() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), policy: self.policy, at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        let actions = try machine.purchaseFailed(
            SupplierFailure(.noInventory, message: "no numbers", reply: "NO_NUMBERS"), at: Fixtures.at(1))
        let retrying = try #require(actions.events.first)
        #expect(retrying.kind == .retrying)
        #expect(retrying.country == "russia")
        #expect(retrying.nextRoute?.country == "indonesia")
        #expect(retrying.nextRoute?.supplier == "alpha")
        #expect(retrying.reasonCode == "no_inventory")
        #expect(actions.purchases.map(\.route.country) == ["indonesia"])
        #expect(actions.purchases.first?.number == 2)
        let decision = try #require(machine.timeline.entries.last { $0.kind == .retryDecided })
        #expect(decision.reasonCode == "no_inventory")
        #expect(decision.detail.contains("country russia → indonesia"))
        #expect(machine.timeline.entries.contains { $0.supplierReply == "NO_NUMBERS" })
    }

    /// SMS never arrives: the cancel waits for the waiting window and for cancellable_at, an early-cancel
    /// refusal reschedules it, each cancelled attempt is retried with something changed, and the activation
    /// ends `expired` with the hold released once the chain is exhausted.
    @Test func smsNeverArrivesUntilTheChainIsExhausted() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), policy: self.policy, at: Fixtures.at(0))
        var actions = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        var routes: [AttemptRoute] = []
        var clock = 0.0
        while let spec = actions.purchases.first {
            routes.append(spec.route)
            let bought = try machine.purchaseSucceeded(
                Fixtures.number(id: "\(9000 + spec.number)", boughtAt: clock), at: Fixtures.at(clock))
            let window = try #require(bought.followUp(.waitingWindow))
            #expect(window.due == Fixtures.at(clock + 60))

            // The waiting window passes before cancellable_at (purchase + 120 s): the cancel is scheduled.
            let passed = machine.followUpDue(window, at: window.due)
            #expect(machine.state == .cancelling)
            #expect(!passed.contains { if case .cancel = $0 { true } else { false } }, "no cancel before cancellable_at")
            let scheduled = try #require(passed.followUp(.cancel))
            #expect(scheduled.due == Fixtures.at(clock + 120))
            #expect(machine.followUpDue(scheduled, at: Fixtures.at(clock + 100)).followUp(.cancel) != nil,
                    "an early reminder is pushed back, not acted on")

            // The supplier still refuses once; the cancel is rescheduled to the time it names.
            let first = machine.followUpDue(scheduled, at: scheduled.due)
            #expect(first.contains { if case .cancel = $0 { true } else { false } })
            let denied = try machine.cancelResult(
                .failed(SupplierFailure(.earlyCancelDenied(until: Fixtures.at(clock + 150)),
                                        reply: "EARLY_CANCEL_DENIED")), at: scheduled.due)
            let again = try #require(denied.followUp(.cancel))
            #expect(again.due == Fixtures.at(clock + 150))
            #expect(machine.currentAttempt?.cancelDenials == 1)

            _ = machine.followUpDue(again, at: again.due)
            clock += 150
            actions = try machine.cancelResult(.done(reply: "ACCESS_CANCEL"), at: Fixtures.at(clock))
            #expect(machine.attempts[spec.number - 1].cancelledAt == Fixtures.at(clock))
        }

        #expect(routes.count == 4)
        #expect(Set(routes).count == routes.count, "never an identical attempt")
        #expect(routes.map(\.country) == ["russia", "indonesia", "russia", "indonesia"])
        #expect(routes.map(\.supplier) == ["alpha", "alpha", "beta", "beta"])
        #expect(machine.state == .expired)
        #expect(actions.contains(.releaseHold(Money(amountMinor: 2500, currency: "USD"))))
        let expired = try #require(actions.events.last)
        #expect(expired.kind == .expired)
        #expect(expired.reasonCode == "code_never_arrived")
        let summary = try #require(expired.timeline)
        #expect(summary.attempts.allSatisfy { $0.cancelDenials == 1 && $0.failure == .codeNeverArrived })
        #expect(summary.decisions.count == 4)
        #expect(summary.decisions.last?.kind == .gaveUp)
        #expect(summary.ledger.releasedMinor == 2500)
        #expect(summary.entries.filter { $0.kind == .cancelDenied }.count == 4)
    }

    @Test func aCodeDuringTheEarlyCancelWindowIsStillTaken() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), policy: self.policy, at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        let bought = try machine.purchaseSucceeded(Fixtures.number(boughtAt: 0), at: Fixtures.at(0))
        let passed = machine.followUpDue(try #require(bought.followUp(.waitingWindow)), at: Fixtures.at(60))
        #expect(machine.isPolling)
        let code = try machine.statusReceived(.code("4242", text: nil, reply: nil), at: Fixtures.at(70))
        #expect(machine.state == .codeReceived)
        #expect(code.events.first?.kind == .codeReceived)
        #expect(machine.followUpDue(try #require(passed.followUp(.cancel)), at: Fixtures.at(120)) == [],
                "the scheduled cancel is stale once a code arrived")
    }

    @Test func notRetriableFailuresFailAtOnceAndReleaseTheHold() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), policy: self.policy, at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0))
        let actions = try machine.purchaseFailed(SupplierFailure(.badService, reply: "BAD_SERVICE"), at: Fixtures.at(1))
        #expect(machine.state == .failed)
        #expect(actions.purchases.isEmpty)
        #expect(actions.contains(.releaseHold(Money(amountMinor: 2500, currency: "USD"))))
        #expect(actions.events.last?.reasonCode == "bad_service")
        #expect(actions.events.last?.reason?.hasPrefix("not_retriable") == true)
    }

    @Test func rateLimitedRetryWaitsThroughADurableFollowUp() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), policy: self.policy, at: Fixtures.at(0))
        _ = try machine.intakeConfirmed(context: Fixtures.context(["alpha"]), at: Fixtures.at(0))
        let actions = try machine.purchaseFailed(
            SupplierFailure(.rateLimited(retryAfterSeconds: 7), reply: "HTTP 429"), at: Fixtures.at(1))
        #expect(actions.purchases.isEmpty)
        let delayed = try #require(actions.followUp(.purchase))
        #expect(delayed.due == Fixtures.at(8))
        #expect(actions.events.first?.retryAt == Fixtures.at(8))
        let now = machine.followUpDue(delayed, at: delayed.due)
        #expect(now.purchases.map(\.route.country) == ["indonesia"])
    }
}
