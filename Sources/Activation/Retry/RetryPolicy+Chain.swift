import Basics
import Foundation

extension RetryPolicy {
    /// Failures best answered by another supplier first (the supplier is at fault, not the country).
    static func prefersOtherSupplier(_ failure: AttemptFailure) -> Bool {
        switch failure {
        case .codeNeverArrived: false
        case .endedBySupplier: true
        case .purchaseFailed(let kind):
            switch kind {
            case .noInventory, .badCountry, .priceAboveLimit: false
            default: true
            }
        }
    }

    /// The first route in the chain's order that no attempt used; else the first that only ever failed
    /// transiently (5xx, timeout, 429, transport: a later time is the change, and the back-off of
    /// ``delay(failure:route:attempts:)`` provides it); nil when the chain is exhausted.
    func nextRoute(
        request: ActivationRequest, attempts: [AttemptRecord], failure: AttemptFailure, context: RetryContext
    ) -> AttemptRoute? {
        self.nextRoute(request: request, attempts: attempts, failure: failure, context: context,
                       tried: Set(attempts.map(\.spec.route)))
            ?? self.nextRoute(request: request, attempts: attempts, failure: failure, context: context,
                              tried: Set(attempts.filter { !Self.failedTransiently($0) }.map(\.spec.route)))
    }

    private func nextRoute(
        request: ActivationRequest, attempts: [AttemptRecord], failure: AttemptFailure, context: RetryContext,
        tried: Set<AttemptRoute>
    ) -> AttemptRoute? {
        let banned = Set(attempts.compactMap { record -> String? in
            if case .purchaseFailed(.banned) = record.failure { return record.spec.route.supplier }
            return nil
        })
        let last = attempts.last?.spec.route
        let suppliers = context.suppliers.filter { !banned.contains($0) }
        let types = Self.currentFirst(last?.numberType, in: context.numberTypes)
        let otherSupplierFirst = Self.prefersOtherSupplier(failure)
        for numberType in types {
            if otherSupplierFirst {
                // The failing supplier goes last; the failing country first, then the request's order.
                var supplierOrder = suppliers.filter { $0 != last?.supplier }
                if let current = last?.supplier, suppliers.contains(current) { supplierOrder.append(current) }
                for country in Self.currentFirst(last?.country, in: request.countries) {
                    for supplier in supplierOrder {
                        let route = AttemptRoute(
                            supplier: supplier, service: request.service, country: country, numberType: numberType)
                        if !tried.contains(route) { return route }
                    }
                }
            } else {
                // The same supplier first, walking the request's countries in order, then the next supplier.
                for supplier in Self.currentFirst(last?.supplier, in: suppliers) {
                    for country in request.countries {
                        let route = AttemptRoute(
                            supplier: supplier, service: request.service, country: country, numberType: numberType)
                        if !tried.contains(route) { return route }
                    }
                }
            }
        }
        return nil
    }

    static func failedTransiently(_ record: AttemptRecord) -> Bool {
        if case .purchaseFailed(let kind) = record.failure { return kind.isTransient }
        return false
    }

    /// The back-off before going back to a supplier that just failed transiently; nil for no wait.
    func delay(failure: AttemptFailure, route: AttemptRoute, attempts: [AttemptRecord]) -> TimeInterval? {
        let backToFailingSupplier: Bool =
            if case .purchaseFailed(let kind) = failure, kind.isTransient { attempts.last?.spec.route.supplier == route.supplier }
            else { false }
        // A route tried before is only ever retried because it failed transiently: it always waits.
        let repeatsRoute = attempts.contains { $0.spec.route == route }
        guard backToFailingSupplier || repeatsRoute else { return nil }
        if case .purchaseFailed(.rateLimited(let retryAfter?)) = failure {
            return min(max(0, retryAfter), self.backoffMax.seconds)
        }
        let transientFailures = attempts.filter {
            if case .purchaseFailed(let kind) = $0.failure { return kind.isTransient }
            return false
        }.count
        let exponent = Double(max(0, transientFailures - 1))
        return min(self.backoffBase.seconds * pow(2, exponent), self.backoffMax.seconds)
    }

    /// How `route` differs from `previous`, for the decision's reason.
    func change(from previous: AttemptRoute?, to route: AttemptRoute) -> String {
        guard let previous else { return "first attempt via \(route)" }
        var changes: [String] = []
        if previous.country != route.country { changes.append("country \(previous.country) → \(route.country)") }
        if previous.supplier != route.supplier {
            changes.append("supplier \(previous.supplier) → \(route.supplier)")
        }
        if previous.numberType != route.numberType {
            changes.append("number type \(previous.numberType) → \(route.numberType)")
        }
        return changes.isEmpty
            ? "same route \(route) after the transient failure (a later time is the change)"
            : changes.joined(separator: ", ")
    }

    private static func currentFirst(_ current: String?, in list: [String]) -> [String] {
        guard let current, list.contains(current) else { return list }
        return [current] + list.filter { $0 != current }
    }
}
