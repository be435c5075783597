import Foundation
import Testing

@testable import Activation

@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy()
    let request = Fixtures.request(countries: ["russia", "indonesia", "usa"])

    private func record(_ number: Int, _ supplier: String, _ country: String, _ failure: AttemptFailure,
                        type: String = "any") -> AttemptRecord {
        let route = AttemptRoute(supplier: supplier, service: "tg", country: country, numberType: type)
        var record = AttemptRecord(spec: AttemptSpec(number: number, route: route, requestID: "req-1"),
                                   startedAt: Fixtures.at(0))
        record.failure = failure
        return record
    }

    private func decide(_ attempts: [AttemptRecord], now: Double = 10, context: RetryContext = Fixtures.context(),
                        policy: RetryPolicy? = nil, countries: [String]? = nil) -> RetryDecision {
        (policy ?? self.policy).decide(
            request: countries.map { Fixtures.request(countries: $0) } ?? self.request, attempts: attempts, failure: attempts.last?.failure ?? .codeNeverArrived,
            context: context, startedAt: Fixtures.at(0), now: Fixtures.at(now))
    }

    @Test func supplierFaultsMoveToAnotherSupplierInTheSameCountry() {
        for kind: SupplierFailure.Kind in [.banned(until: nil), .serverError, .timeout, .transport, .other] {
            let decision = self.decide([self.record(1, "alpha", "russia", .purchaseFailed(kind))])
            guard case .retry(let spec, let notBefore, let reason) = decision else {
                Issue.record("\(kind.code): \(decision)")
                continue
            }
            #expect(spec.route.supplier == "beta", "\(kind.code)")
            #expect(spec.route.country == "russia", "\(kind.code)")
            #expect(notBefore == nil)
            #expect(reason.contains("supplier alpha → beta"))
        }
    }

    @Test func aBannedSupplierIsSkippedForTheRestOfTheActivation() {
        let attempts = [
            self.record(1, "alpha", "russia", .purchaseFailed(.banned(until: "2026-05-02"))),
            self.record(2, "beta", "russia", .purchaseFailed(.noInventory)),
        ]
        guard case .retry(let spec, _, _) = self.decide(attempts) else {
            Issue.record("expected a retry")
            return
        }
        #expect(spec.route == AttemptRoute(supplier: "beta", service: "tg", country: "indonesia", numberType: "any"))
    }

    @Test func clientWorkflowFailuresGiveUp() {
        for kind: SupplierFailure.Kind in [.noBalance, .badService] {
            guard case .giveUp(let code, _) = self.decide([self.record(1, "alpha", "russia", .purchaseFailed(kind))])
            else {
                Issue.record("\(kind.code) should give up")
                continue
            }
            #expect(code == .notRetriable)
        }
    }

    @Test func boundsOnAttemptsAndTime() {
        let four = (1...4).map { self.record($0, $0 % 2 == 0 ? "beta" : "alpha", "c\($0)", .codeNeverArrived) }
        guard case .giveUp(.attemptsExhausted, _) = self.decide(four) else {
            Issue.record("four attempts should exhaust the default bound")
            return
        }
        guard case .giveUp(.timeExhausted, _) = self.decide([self.record(1, "alpha", "russia", .codeNeverArrived)],
                                                             now: 20 * 60)
        else {
            Issue.record("the 20-minute budget should be spent")
            return
        }
    }

    @Test func numberTypeFallbackComesLastAndTheChainEnds() {
        let policy = RetryPolicy(maxAttempts: 10, numberTypeFallbacks: ["any": ["virtual"]])
        let context = Fixtures.context(["alpha"], types: policy.numberTypes(for: self.request))
        var attempts = [self.record(1, "alpha", "russia", .purchaseFailed(.noInventory))]
        while case .retry(let spec, _, _) = self.decide(attempts, context: context, policy: policy) {
            attempts.append(self.record(spec.number, spec.route.supplier, spec.route.country,
                                        .purchaseFailed(.noInventory), type: spec.route.numberType))
        }
        #expect(attempts.map(\.spec.route.numberType) == ["any", "any", "any", "virtual", "virtual", "virtual"])
        guard case .giveUp(.chainExhausted, _) = self.decide(attempts, context: context, policy: policy) else {
            Issue.record("the chain should be exhausted")
            return
        }
    }

    /// Whatever the failures, a retry repeats a route only when every earlier attempt on it failed
    /// transiently (a later time is the change, after back-off) and never exceeds the bound.
    @Test func randomFailureSequencesRepeatOnlyTransientRoutes() {
        let kinds: [AttemptFailure] = [
            .purchaseFailed(.noInventory), .purchaseFailed(.serverError), .purchaseFailed(.timeout),
            .purchaseFailed(.banned(until: nil)), .purchaseFailed(.rateLimited(retryAfterSeconds: 3)),
            .purchaseFailed(.priceAboveLimit), .codeNeverArrived, .endedBySupplier("cancelled"),
        ]
        let policy = RetryPolicy(maxAttempts: 8, numberTypeFallbacks: ["any": ["virtual"]])
        let context = Fixtures.context(["alpha", "beta", "gamma"], types: ["any", "virtual"])
        var seed: UInt64 = 42
        for _ in 0..<300 {
            var attempts = [self.record(1, "alpha", "russia", kinds[Int(seed % UInt64(kinds.count))])]
            while case .retry(let spec, let notBefore, _) = self.decide(attempts, context: context, policy: policy) {
                let earlier = attempts.filter { $0.spec.route == spec.route }
                let allTransient = earlier.allSatisfy {
                    if case .purchaseFailed(let kind) = $0.failure { kind.isTransient } else { false }
                }
                #expect(allTransient, "\(spec.route) repeated after a failure that is not transient")
                if !earlier.isEmpty { #expect(notBefore != nil, "a repeated route waits (back-off)") }
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let failure = kinds[Int((seed >> 33) % UInt64(kinds.count))]
                attempts.append(self.record(spec.number, spec.route.supplier, spec.route.country, failure,
                                            type: spec.route.numberType))
            }
            #expect(attempts.count <= 8)
        }
    }

    /// One transient failure on the only route the request allows does not end it: the same route again after
    /// back-off, and the reason says a later time is the change.
    @Test func transientFailureOnTheOnlyRouteRetriesItLater() {
        let context = Fixtures.context(["alpha"], types: ["any"])
        let policy = RetryPolicy(maxAttempts: 4)
        for kind in [SupplierFailure.Kind.serverError, .timeout, .transport, .rateLimited(retryAfterSeconds: nil)] {
            let attempts = [self.record(1, "alpha", "russia", .purchaseFailed(kind))]
            guard case .retry(let spec, let notBefore, let reason) = self.decide(
                attempts, context: context, policy: policy, countries: ["russia"])
            else {
                Issue.record("\(kind.code) on the only route gave up")
                continue
            }
            #expect(spec.route == attempts[0].spec.route)
            #expect(notBefore != nil)
            #expect(reason.contains("later time"))
        }
    }
}
