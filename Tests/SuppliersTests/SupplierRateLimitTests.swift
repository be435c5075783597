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

    @Test("a 429 holds the adapter's next calls for its Retry-After, so they are not spent on more 429s", arguments: [false, true])
    func holdsOffAfterTooManyRequests(fiveSim: Bool) async throws {
        // The simulated supplier allows 2 requests a second with no burst and answers a 429 with `Retry-After: 1`;
        // the adapter is configured far above that, as a pool that does not know the account's real limit is.
        try await withSimulator(SimulatorConfiguration(rateLimit: 2, rateLimitBurst: 1)) { sim in
            let client: any SupplierClient = fiveSim
                ? sim.fiveSim { $0.requestsPerSecond = 1_000; $0.burst = 10 }
                : sim.handlerAPI { $0.requestsPerSecond = 1_000; $0.burst = 10 }
            // Calls back to back until one is refused (the second, unless the machine stalls half a second).
            var refused: SupplierError?
            for _ in 0..<10 where refused == nil { refused = await supplierError { try await client.balance() } }
            #expect(refused?.code == .rateLimited)
            // Without the hold the next call would go at once and meet another 429; with it, it waits the second.
            let start = ContinuousClock.now
            var results: [SupplierError.Code?] = []
            for _ in 0..<3 { results.append(await supplierError { try await client.balance() }?.code) }
            #expect(ContinuousClock.now - start >= .milliseconds(900), "the next call waited for the hold")
            #expect(results[0] == nil, "the first call after the hold is within the limit: \(results)")
            #expect(results.compactMap { $0 }.count <= 1, "a 429 holds the next call again: \(results)")
        }
    }
}
