import Foundation
import SupplierSimulator
import Testing

@testable import Suppliers

@Suite("Purchase send deadline")
struct SendDeadlineTests {
    @Test("a purchase whose send deadline passed is not sent: notSent, nothing sold", arguments: [false, true])
    func pastDeadlineSendsNothing(fiveSim: Bool) async throws {
        try await withSimulator { sim in
            let client: any SupplierClient = fiveSim ? sim.fiveSim() : sim.handlerAPI()
            var order = try sim.order()
            order.sendBy = ContinuousClock.now - .milliseconds(1)
            let error = await supplierError { try await client.buy(order) }
            #expect(error?.code == .notSent)
            #expect(error?.code.isRetriable == true)
            #expect(sim.simulator.audit().purchases == 0)
            #expect(sim.simulator.reference(order.reference).activationIDs.isEmpty)

            order.sendBy = ContinuousClock.now + .seconds(30)
            let number = try await client.buy(order)
            #expect(sim.simulator.reference(order.reference).activationIDs == [number.activationID])
        }
    }

    @Test("the deadline counts the rate limit's wait: a purchase queued behind it past the deadline is not sent")
    func rateLimitWaitCounts() async throws {
        try await withSimulator { sim in
            // One request per 100 s: after the balance call takes the one token, the purchase's turn is ~100 s
            // away however slowly a loaded machine ran that call, far past its deadline.
            let client = sim.handlerAPI { $0.requestsPerSecond = 0.01; $0.burst = 1 }
            _ = try await client.balance()
            var order = try sim.order()
            order.sendBy = ContinuousClock.now + .milliseconds(100)
            let error = await supplierError { try await client.buy(order) }
            #expect(error?.code == .notSent)
            #expect(sim.simulator.audit().purchases == 0)
        }
    }
}
