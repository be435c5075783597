import Foundation
import SupplierSimulator
import Testing

@testable import Suppliers

@Suite("Adapter rate limit against the simulator's 429")
struct SupplierRateLimitTests {
    @Test("concurrent callers of one adapter stay under the supplier's limit: no 429, rate held", arguments: [false, true])
    func staysUnderSupplierLimit(fiveSim: Bool) async throws {
        // The client's bucket spaces requests 25 ms apart on average; on a loaded machine late
        // wake-ups can bunch a few together, so the simulated supplier tolerates a burst of 20
        // (real suppliers allow bursts too). The average rate is what the elapsed-time check holds.
        try await withSimulator(SimulatorConfiguration(rateLimit: 50, rateLimitBurst: 20)) { sim in
            let client: any SupplierClient = fiveSim
                ? sim.fiveSim { $0.requestsPerSecond = 40; $0.burst = 1 }
                : sim.handlerAPI { $0.requestsPerSecond = 40; $0.burst = 1 }
            let calls = 60
            let start = ContinuousClock.now
            let errors = await withTaskGroup(of: SupplierError?.self) { group in
                for _ in 0..<calls {
                    group.addTask { await supplierError { try await client.balance() } }
                }
                var errors: [SupplierError] = []
                for await error in group { if let error { errors.append(error) } }
                return errors
            }
            let elapsed = ContinuousClock.now - start
            #expect(errors.isEmpty, "\(errors.map(\.code))")
            #expect(elapsed >= .milliseconds(Int64(1000 * Double(calls - 1) / 40) - 50), "\(calls) calls at 40/s took \(elapsed)")
            #expect(sim.simulator.audit().requests["rejected.rate_limited"] == nil)
        }
    }
}
