import Activation
import Foundation
import Testing

@testable import Pool

@Suite("Active-list matching: lost purchases looked for together")
struct ActiveListMatcherTests {
    // Three purchases of one route whose answers were lost (bought here through the gateway, so no activation owns
    // them), looked for at the same moment: the looks share a round and each gets a different number, all of them
    // the ones sold; a number an activation owns is never offered.
    @Test("looks made together get different numbers, never an owned one")
    func looksMadeTogetherGetDifferentNumbers() async throws {
        try await WorkerHarness.run { harness in
            let supplier = try #require(try harness.catalogue.pool(nil).suppliers.first)
            let route = AttemptRoute(supplier: supplier, service: "tg", country: "usa", numberType: "any")
            let started = Date()
            var sold: Set<String> = []
            for index in 1...3 {
                let spec = AttemptSpec(number: 1, route: route, requestID: "lost-\(index)")
                guard case .allocated(let number) = await harness.gateway.purchase(spec, maxPrice: nil) else {
                    Issue.record("the simulator sold no number")
                    return
                }
                sold.insert(number.supplierActivationID)
            }
            let lostAt = Date()
            let matcher = ActiveListMatcher(gateway: harness.gateway, store: harness.store)
            func look(_ index: Int) async -> [String] {
                let spec = AttemptSpec(number: 1, route: route, requestID: "lost-\(index)")
                guard case .candidates(let numbers) = await matcher.find(
                    spec, requestID: "lost-\(index)", notBefore: started, notAfter: lostAt)
                else { return [] }
                return numbers.map(\.supplierActivationID)
            }
            async let first = look(1)
            async let second = look(2)
            async let third = look(3)
            let found = await [first, second, third]
            let matched = found.compactMap(\.first)
            #expect(matched.count == 3 && Set(matched) == sold, "each look matched to a different number sold: \(found)")

            // A window that ends before the purchases offers nothing.
            let early = AttemptSpec(number: 1, route: route, requestID: "early")
            let none = await matcher.find(
                early, requestID: "early", notBefore: started.addingTimeInterval(-60), notAfter: started.addingTimeInterval(-30))
            guard case .candidates(let nothing) = none else {
                Issue.record("the list could not be read: \(none)")
                return
            }
            #expect(nothing.isEmpty)
        }
    }
}
