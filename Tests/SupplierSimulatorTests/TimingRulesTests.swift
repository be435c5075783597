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
            // Answered inside the window it is denied; on a machine busy with every other suite the buy and this
            // cancel alone can outlast the 2 s the window lasts here, and then it may be accepted.
            var cancelledAt: ContinuousClock.Instant?
            let early = await errorCode { try await sim.client.cancel(number.activationID) }
            if early == nil { cancelledAt = .now } else { #expect(early == .earlyCancelDenied) }
            if cancelledAt == nil {
                let cancelled = await eventually {
                    guard await errorCode({ try await sim.client.cancel(number.activationID) }) == nil else { return false }
                    cancelledAt = .now
                    return true
                }
                #expect(cancelled)
            }
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
            let first = try await sim.client.status(of: number.activationID)
            if ContinuousClock.now - started < .milliseconds(1900) {  // answered inside the lifetime (see earlyCancelWindow)
                #expect(first == .waitingForCode)
            }
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
            let first = try await sim.client.status(of: number.activationID)
            // Read within the delay (the purchase came after `started`), it cannot have a code; on a machine busy with
            // every other suite the buy and this read alone can take longer than the second the delay lasts.
            if ContinuousClock.now - started < .milliseconds(900) {
                #expect(first == .waitingForCode)
            }
            let arrived = await eventually { (try? await sim.client.status(of: number.activationID))?.code != nil }
            #expect(arrived)
            #expect(ContinuousClock.now - started >= .milliseconds(950), "a supplier minute is 1 s at this scale")
        }
    }
}
