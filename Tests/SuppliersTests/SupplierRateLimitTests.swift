import Foundation
import SupplierSimulator
import Testing

@testable import Suppliers

@Suite("Adapter rate limit against the simulator's 429")
struct SupplierRateLimitTests {
    @Test("concurrent callers of one adapter stay under the supplier's limit: no 429, rate held", arguments: [false, true])
    func staysUnderSupplierLimit(fiveSim: Bool) async throws {
        // The client's bucket spaces requests 25 ms apart on average; on a loaded machine (CI runs every
        // suite at once on 2 cores) a stall of the client's event loop sends what it paced meanwhile in one
        // bunch, so the simulated supplier tolerates a burst of 40, a one-second stall (real suppliers allow
        // bursts too). An unpaced adapter still trips it: its 60 calls arrive at once. The average rate is
        // what the elapsed-time check holds.
        try await withSimulator(SimulatorConfiguration(rateLimit: 50, rateLimitBurst: 40)) { sim in
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

    // How fast the pace comes down and grows back is `RateLimiter`'s (its own tests, on a given clock); what the
    // storm does with it is the fault suite's `supplier` and `kill-storm` figures. Here: that a refusal reaches it.
    @Test("a 429 (5sim variant: its per-IP limit's 503, without Retry-After) slows the adapter's pace; other replies do not", arguments: [false, true])
    func refusalSlowsThePace(variant: Bool) async throws {
        try await withSimulator(instantSMS { $0.variant = variant; $0.rateLimit = 1; $0.rateLimitBurst = 1 }) { sim in
            let handlerAPI = sim.handlerAPI { $0.requestsPerSecond = 1_000 }
            let fiveSim = sim.fiveSim { $0.requestsPerSecond = 1_000 }
            #expect(await supplierError { try await handlerAPI.balance() } == nil)
            #expect(handlerAPI.transport.limiter.pace == 1, "an answer is no refusal")
            // Calls back to back until one is refused (the next, unless the machine stalls a second): one adapter
            // of each protocol, on the same key.
            for client in [handlerAPI, fiveSim] as [any SupplierClient] {
                var refused: SupplierError?
                for _ in 0..<10 where refused == nil { refused = await supplierError { try await client.balance() } }
                #expect(refused?.code == .rateLimited)
            }
            #expect(handlerAPI.transport.limiter.pace < 1)
            #expect(fiveSim.transport.limiter.pace < 1)
        }
    }
}

