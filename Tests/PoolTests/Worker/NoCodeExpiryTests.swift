import Activation
import Foundation
import Pool
import SupplierSimulator
import Testing

@Suite("Activation worker: the SMS never arrives")
struct NoCodeExpiryTests {
    /// A waiting window (1 s) far shorter than the early-cancel window (600 supplier s = 10 s at 60x, see
    /// ``simulator``), so every cancel has to wait for `cancellable_at` even when a loaded machine fires the
    /// waiting window's follow-up seconds late; a time budget far beyond the run.
    static var policy: ActivationPolicy {
        var policy = ActivationPolicy()
        policy.pollInterval = .milliseconds(500)
        policy.waitingWindow = .seconds(1)
        policy.supplierRetryDelay = .seconds(1)
        policy.retry.maxTotalTime = .seconds(120)
        return policy
    }

    static var simulator: SimulatorConfiguration {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.defaultOffer.smsDelay = .never
        simulator.earlyCancelWindow = .seconds(600)
        return simulator
    }

    @Test("cancel after the waiting window, never before cancellable_at → refund → retry changed → expired")
    func expiresWhenTheChainIsExhausted() async throws {
        let simulator = Self.simulator
        try await WorkerHarness.run(simulator: simulator, policy: Self.policy) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-nocode", email: "nocode@example.com", balanceMinor: 10_000))
            try await harness.withWorker {
                let request = WorkerHarness.request(account: "acct-nocode", countries: ["usa"])
                try await harness.submit(request)
                _ = try await harness.events.waitFor(.expired, of: request.requestID, timeout: .seconds(90))
                let seen = harness.events.distinct(request.requestID)

                // Both suppliers of the pool in usa, for the number type the client asked for; then the chain ends.
                #expect(seen.map(\.kind) == [.numberAllocated, .retrying, .numberAllocated, .expired])
                let retrying = try #require(seen.first { $0.kind == .retrying })
                #expect(retrying.reasonCode == "code_never_arrived")
                #expect(retrying.nextRoute?.supplier != retrying.supplier)
                let expired = try #require(seen.last)
                #expect(expired.reasonCode == "code_never_arrived")
                #expect(expired.reason?.contains("chain_exhausted") == true)
                #expect(expired.timeline?.attempts.count == 2)

                let stored = try #require(try await harness.store.activation(requestID: request.requestID))
                #expect(stored.state == .expired)
                let routes = stored.machine.attempts.map(\.spec.route)
                #expect(Set(routes).count == routes.count, "no attempt repeats another")
                #expect(routes.allSatisfy { $0.numberType == request.numberType && $0.country == "usa" })
                for attempt in stored.machine.attempts {
                    let number = try #require(attempt.number)
                    let deadline = try #require(attempt.waitingDeadline)
                    let cancelled = try #require(attempt.cancelledAt, "attempt \(attempt.spec.number) was cancelled")
                    #expect(attempt.failure == .codeNeverArrived)
                    #expect(cancelled >= deadline, "cancelled only after the waiting window")
                    #expect(cancelled >= number.cancellableAt, "never before cancellable_at")
                    #expect(attempt.cancelDenials == 0, "the supplier never had to refuse an early cancel")
                }
                // The timeline tracks the early-cancel window: each cancel was scheduled, then sent at cancellable_at.
                let timeline = try await harness.store.timeline(requestID: request.requestID)
                for number in 1...2 {
                    let entries = timeline.filter { $0.attempt == number }
                    let cancellableAt = try #require(stored.machine.attempts[number - 1].number?.cancellableAt)
                    #expect(entries.contains { $0.kind == .waitingWindowPassed })
                    #expect(entries.contains { $0.kind == .cancelScheduled })
                    let sent = try #require(entries.last { $0.kind == .cancelRequested })
                    #expect(sent.at >= cancellableAt)
                    #expect(entries.contains { $0.kind == .cancelledAtSupplier })
                }
                #expect(timeline.contains { $0.kind == .retryDecided && $0.reasonCode == "code_never_arrived" })
                #expect(timeline.contains { $0.kind == .gaveUp && $0.reasonCode == "chain_exhausted" })

                let audit = harness.simulator.audit()
                #expect(audit.purchases == 2)
                #expect(audit.cancels == 2)
                #expect(audit.refunds == 2)
                #expect(audit.finishes == 0)
                #expect(audit.totalCharged == 0)
                #expect(audit.duplicateReferences.isEmpty)
                let account = try #require(try await harness.store.account(id: "acct-nocode"))
                #expect(account.balanceMinor == 10_000)
                #expect(account.heldMinor == 0)
            }
        }
    }
}
