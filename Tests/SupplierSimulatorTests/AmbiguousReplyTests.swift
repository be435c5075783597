import Foundation
import SupplierSimulator
import Suppliers
import Testing

/// `ambiguous_error_rate`: writes take effect, then a gateway's HTML 502 stands where the reply should be.
@Suite("Simulator ambiguous 502s: the write happens, the reply is lost")
struct AmbiguousReplyTests {
    @Test("a purchase is sold and answered with an HTML 502; the buyer sees a server error, the audit a sale")
    func ambiguousPurchase() async throws {
        let configuration = SimulatorConfiguration(ambiguousErrorRate: 1, defaultOffer: OfferBehaviour(smsDelay: .never))
        try await withSimulator(configuration) { sim in
            let raw = try await sim.get("/stubs/handler_api.php?api_key=sim-key&action=getNumber&service=tg&country=0&ref=raw")
            #expect(raw.status == 502)
            #expect(raw.body.contains("<title>502 Bad Gateway</title>") && !raw.body.contains("ACCESS_NUMBER"))
            #expect(raw.headers.contains { $0.0.lowercased() == "content-type" && $0.1.hasPrefix("text/html") })
            #expect(await errorCode { try await sim.client.buy(try sim.order(reference: "client")) } == .serverError)
            #expect(sim.simulator.reference("raw").activationIDs.count == 1)
            #expect(sim.simulator.reference("client").activationIDs.count == 1)
            #expect(try await sim.client.activeActivations().count == 2, "both sold; the list is a read, never lost")
            #expect(try await sim.client.balance() == 999_980)
            let audit = sim.simulator.audit()
            #expect(audit.purchases == 2 && audit.purchaseFailures == 0 && audit.totalPending == 20)
            #expect(audit.requests["fault.ambiguous_error"] == 2)
        }
    }

    @Test("setStatus 8 and 6 and 5sim cancel and finish take effect behind the 502; a refused write keeps its reply")
    func ambiguousStatusChanges() async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            let toCancel = try await sim.client.buy(try sim.order())
            let fiveSimToCancel = try await Self.fiveSimBuy(sim)
            sim.simulator.update { $0.defaultOffer.smsDelay = .fixed(0) }
            let toFinish = try await sim.client.buy(try sim.order())
            let fiveSimToFinish = try await Self.fiveSimBuy(sim)
            #expect(try await sim.client.status(of: toFinish.activationID).code != nil)
            #expect(try await sim.fiveSim("/user/check/\(fiveSimToFinish)").body.contains("\"code\""))
            sim.simulator.advance(by: .seconds(121))
            sim.simulator.update { $0.ambiguousErrorRate = 1 }

            #expect(await errorCode { try await sim.client.cancel(toCancel.activationID) } == .serverError)
            #expect(await errorCode { try await sim.client.finish(toFinish.activationID) } == .serverError)
            #expect(try await sim.fiveSim("/user/cancel/\(fiveSimToCancel)").status == 502)
            #expect(try await sim.fiveSim("/user/finish/\(fiveSimToFinish)").status == 502)
            #expect(await errorCode { try await sim.client.finish(toCancel.activationID) } == .badStatus)

            #expect(try await sim.client.status(of: toCancel.activationID) == .cancelled)
            #expect(try await sim.fiveSim("/user/check/\(fiveSimToCancel)").body.contains("\"CANCELED\""))
            #expect(try await sim.fiveSim("/user/check/\(fiveSimToFinish)").body.contains("\"FINISHED\""))
            #expect(sim.simulator.activation(toFinish.activationID)?.status == "finished")
            #expect(try await sim.client.balance() == 999_980, "two refunded, two charged")
            let audit = sim.simulator.audit()
            #expect(audit.cancels == 2 && audit.refunds == 2 && audit.finishes == 2 && audit.totalCharged == 20)
            #expect(audit.requests["fault.ambiguous_error"] == 4)
        }
    }

    @Test("a per-offer rate hits that offer's purchases only, not other offers nor status changes")
    func perOffer() async throws {
        let configuration = SimulatorConfiguration(
            defaultOffer: OfferBehaviour(smsDelay: .never), offers: [OfferOverride(service: "wa", ambiguousErrorRate: 1)]
        )
        try await withSimulator(configuration) { sim in
            _ = try await sim.client.buy(try sim.order("tg", "usa"))
            #expect(await errorCode { try await sim.client.buy(try sim.order("wa", "usa", reference: "wa-1")) } == .serverError)
            let id = try #require(sim.simulator.reference("wa-1").activationIDs.first)
            try await sim.client.markReady(id)
            #expect(sim.simulator.activation(id)?.status == "ready")
            let audit = sim.simulator.audit()
            #expect(audit.purchases == 2 && audit.requests["fault.ambiguous_error"] == 1)
        }
    }

    /// Buys `telegram` in russia over 5sim and returns the order id.
    static func fiveSimBuy(_ sim: Harness) async throws -> Int {
        struct Order: Decodable { var id: Int }
        let reply = try await sim.fiveSim("/user/buy/activation/russia/any/telegram")
        return try JSONDecoder().decode(Order.self, from: Data(reply.body.utf8)).id
    }
}
