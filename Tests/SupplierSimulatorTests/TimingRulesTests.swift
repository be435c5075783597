import Foundation
import SupplierSimulator
import Suppliers
import Testing

/// The simulator's timing rules with real time passing, compressed by the time scale. Only lower bounds are
/// asserted on time (a rule may not fire early); upper bounds are generous deadlines.
@Suite("Simulator timing rules under a time scale")
struct TimingRulesTests {
    @Test("early cancel is denied inside the 2-minute window and allowed after it (time scale 60)")
    func earlyCancelWindow() async throws {
        let configuration = SimulatorConfiguration(timeScale: 60, defaultOffer: OfferBehaviour(smsDelay: .never))
        try await withSimulator(configuration) { sim in
            let started = ContinuousClock.now
            let number = try await sim.client.buy(try sim.order())
            #expect(await errorCode { try await sim.client.cancel(number.activationID) } == .earlyCancelDenied)
            var cancelledAt: ContinuousClock.Instant?
            let cancelled = await eventually {
                guard await errorCode({ try await sim.client.cancel(number.activationID) }) == nil else { return false }
                cancelledAt = .now
                return true
            }
            #expect(cancelled)
            let waited = try #require(cancelledAt) - started
            #expect(waited >= .milliseconds(1950), "cancel accepted after \(waited), the window is 2 s at this scale")
            #expect(try await sim.client.status(of: number.activationID) == .cancelled)
        }
    }

    @Test("an activation without a code expires after its lifetime and is refunded (time scale 600)")
    func expiry() async throws {
        let configuration = SimulatorConfiguration(timeScale: 600, defaultOffer: OfferBehaviour(smsDelay: .never))
        try await withSimulator(configuration) { sim in
            let started = ContinuousClock.now
            let number = try await sim.client.buy(try sim.order())
            #expect(abs(number.expiresAt.timeIntervalSince(number.purchasedAt) - 1200) < 1, "the client's own lifetime")
            #expect(try await sim.client.status(of: number.activationID) == .waitingForCode)
            let expired = await eventually { (try? await sim.client.status(of: number.activationID)) == .cancelled }
            #expect(expired)
            #expect(ContinuousClock.now - started >= .milliseconds(1950), "20 minutes are 2 s at this scale")
            let audit = sim.simulator.audit()
            #expect(audit.expirations == 1 && audit.refunds == 1 && audit.totalRefunded == 10 && audit.totalCharged == 0)
            #expect(sim.simulator.activation(number.activationID)?.status == "expired")
            #expect(try await sim.client.balance() == 1_000_000)
        }
    }

    @Test("the SMS arrives after its delay in supplier time, never before (time scale 60)")
    func smsDelay() async throws {
        let configuration = SimulatorConfiguration(timeScale: 60, defaultOffer: OfferBehaviour(smsDelay: .fixed(60)))
        try await withSimulator(configuration) { sim in
            let started = ContinuousClock.now
            let number = try await sim.client.buy(try sim.order())
            #expect(try await sim.client.status(of: number.activationID) == .waitingForCode)
            let arrived = await eventually { (try? await sim.client.status(of: number.activationID))?.code != nil }
            #expect(arrived)
            #expect(ContinuousClock.now - started >= .milliseconds(950), "a supplier minute is 1 s at this scale")
        }
    }
}
