import Activation
import Foundation
import SupplierSimulator
import Testing

@testable import Pool

@Suite("Activation worker: answers about a replaced attempt's number")
struct StaleAnswerTests {
    // A chain that started before its attempt was given up — a poll or a cancel that fired late, under load — gets
    // the supplier's answer about the replaced number. That answer says nothing about the number bought since:
    // applied to it, a "cancelled" or "expired" ended a live number, which then received its code and was billed
    // while the request bought again (`anomalies` at 10,000).
    @Test("a late answer about a replaced attempt's number leaves the current attempt alone")
    func lateAnswerAboutAReplacedNumberIsIgnored() async throws {
        var simulator = WorkerHarness.simulatorConfiguration()
        simulator.defaultOffer.smsDelay = .never
        try await WorkerHarness.run(simulator: simulator) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-stale", email: "stale@example.com", balanceMinor: 10_000))
            let request = WorkerHarness.request(account: "acct-stale")
            let replaced = try await buy(try await WorkerRestartTests.writeAhead(request, harness), request, harness)
            // The supplier ended the first number; the request buys again.
            var stored = try #require(try await harness.store.activation(requestID: request.requestID))
            stored = try await harness.store.step(stored) { try $0.statusReceived(.expired(reply: "STATUS_CANCEL"), at: Date()) }
            let second = try #require(stored.machine.currentAttempt?.spec)
            #expect(second.number == 2)
            let current = try await buy(second, request, harness)

            // The first number ends at the supplier; a poll of it, by a chain that started before the attempt was
            // given up, answers "cancelled" — about the first number, not the second.
            harness.simulator.advance(by: .seconds(130))  // past the early-cancel window, within the numbers' lives
            _ = await harness.gateway.cancel(replaced)
            let engine = harness.engine()
            let before = try #require(try await harness.store.activation(requestID: request.requestID))
            #expect(await harness.gateway.status(replaced) != .waiting, "the replaced number has ended")
            try await engine.performSupplierCall(.checkStatus(replaced), for: before)

            let after = try #require(try await harness.store.activation(requestID: request.requestID))
            #expect(after.state == .waitingCode)
            #expect(after.machine.currentAttempt?.supplierActivation == current, "the current number is still the one waited on")
            #expect(after.version == before.version, "nothing was stored for the replaced number's answer")
        }
    }

    /// Buys `spec`'s number at the simulator and stores it as the current attempt's; returns its reference.
    private func buy(_ spec: AttemptSpec, _ request: ActivationRequest, _ harness: WorkerHarness) async throws -> SupplierActivationRef {
        let number = try await harness.buy(spec, maxPrice: request.maxPrice)
        let stored = try #require(try await harness.store.activation(requestID: request.requestID))
        let bought = try await harness.store.step(stored) { try $0.purchaseSucceeded(number, at: Date()) }
        return try #require(bought.machine.currentAttempt?.supplierActivation)
    }
}
