import AsyncHTTPClient
import Foundation
import SupplierSimulator
import Suppliers
import Testing

/// `reset_rate`: writes take effect, then the connection is dropped with no HTTP response at all.
@Suite("Simulator connection resets: the write happens, no reply comes")
struct ConnectionResetTests {
    @Test("a purchase is sold and its connection dropped: a transport error (no HTTP status), sold once, not retried")
    func resetPurchase() async throws {
        let configuration = SimulatorConfiguration(resetRate: 1, defaultOffer: OfferBehaviour(smsDelay: .never))
        try await withSimulator(configuration) { sim in
            let failure = await supplierError { try await sim.client.buy(try sim.order(reference: "reset")) }
            #expect(failure?.code == .transport && failure?.httpStatus == nil, "\(String(describing: failure))")
            do {
                let reply = try await sim.get("/stubs/handler_api.php?api_key=sim-key&action=getNumber&service=tg&country=0&ref=raw")
                Issue.record("an HTTP reply came: \(reply.status) \(reply.body)")
            } catch {
                #expect(!(error is CancellationError), "the connection failed: \(error)")
            }
            #expect(sim.simulator.reference("reset").activationIDs.count == 1)
            #expect(sim.simulator.reference("raw").activationIDs.count == 1)
            let balance = try await sim.client.balance()
            #expect(balance == 999_980, "a read on a fresh connection sees both sales")
            let audit = sim.simulator.audit()
            #expect(audit.purchases == 2 && audit.requests["fault.reset"] == 2)
            #expect(audit.requests["handler_api.getNumberV2"] == 1, "the HTTP client did not resend the purchase")
        }
    }

    @Test("setStatus 8 and 5sim finish take effect before the connection drops")
    func resetStatusChanges() async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            let toCancel = try await sim.client.buy(try sim.order())
            sim.simulator.update { $0.defaultOffer.smsDelay = .fixed(0) }
            let bought = try await sim.fiveSim("/user/buy/activation/russia/any/telegram")
            let toFinish = try #require(sim.simulator.activations().last?.id)
            #expect(bought.body.contains(toFinish))
            #expect(try await sim.fiveSim("/user/check/\(toFinish)").body.contains("\"code\""))
            sim.simulator.advance(by: .seconds(121))
            sim.simulator.update { $0.resetRate = 1 }

            #expect(await supplierError { try await sim.client.cancel(toCancel.activationID) }?.code == .transport)
            await #expect(throws: (any Error).self) { try await sim.fiveSim("/user/finish/\(toFinish)") }

            #expect(try await sim.client.status(of: toCancel.activationID) == .cancelled)
            #expect(try await sim.fiveSim("/user/check/\(toFinish)").body.contains("\"FINISHED\""))
            let audit = sim.simulator.audit()
            #expect(audit.cancels == 1 && audit.finishes == 1 && audit.totalRefunded == 10 && audit.totalCharged == 10)
            #expect(audit.requests["fault.reset"] == 2)
        }
    }

    @Test("a per-offer reset rate drops only that offer's purchases")
    func perOffer() async throws {
        let configuration = SimulatorConfiguration(offers: [OfferOverride(country: "usa", resetRate: 1)])
        try await withSimulator(configuration) { sim in
            #expect(await supplierError { try await sim.client.buy(try sim.order("tg", "usa", reference: "usa")) }?.code == .transport)
            _ = try await sim.client.buy(try sim.order("tg", "russia"))
            #expect(sim.simulator.reference("usa").activationIDs.count == 1)
            #expect(sim.simulator.audit().requests["fault.reset"] == 1)
        }
    }
}
