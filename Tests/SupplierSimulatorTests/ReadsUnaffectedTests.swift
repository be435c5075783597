import Foundation
import SupplierSimulator
import Suppliers
import Testing

/// The reply faults only hit writes: a client can always reconcile by reading.
@Suite("Simulator reply faults spare reads")
struct ReadsUnaffectedTests {
    @Test("with every write's reply lost, every read still answers 200 with its normal body",
          arguments: ["ambiguous", "reset"])
    func readsAnswer(fault: String) async throws {
        try await withSimulator(SimulatorConfiguration(defaultOffer: OfferBehaviour(smsDelay: .never))) { sim in
            let number = try await sim.client.buy(try sim.order())
            sim.simulator.update { configuration in
                if fault == "ambiguous" { configuration.ambiguousErrorRate = 1 } else { configuration.resetRate = 1 }
                configuration.defaultOffer.ambiguousErrorRate = configuration.ambiguousErrorRate
                configuration.defaultOffer.resetRate = configuration.resetRate
            }
            let handlerAPI = "/stubs/handler_api.php?api_key=sim-key&action="
            let reads = [
                "getStatus&id=\(number.activationID)", "getActiveActivations", "getPrices", "getNumbersStatus&country=0",
                "getBalance",
            ]
            for read in reads {
                let reply = try await sim.get(handlerAPI + read)
                #expect(reply.status == 200 && !reply.body.contains("<html>"), "\(read): \(reply.status) \(reply.body)")
            }
            for path in ["/user/check/\(number.activationID)", "/user/profile", "/user/orders", "/guest/prices?country=russia"] {
                let reply = try await sim.fiveSim(path)
                #expect(reply.status == 200 && !reply.body.contains("<html>"), "\(path): \(reply.status) \(reply.body)")
            }
            #expect(try await sim.client.status(of: number.activationID) == .waitingForCode)
            let requests = sim.simulator.audit().requests
            #expect(requests["fault.ambiguous_error"] == nil && requests["fault.reset"] == nil)
        }
    }
}
