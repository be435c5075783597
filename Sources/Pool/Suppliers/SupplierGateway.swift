import Activation
import Basics
import Foundation
import Logging
import Suppliers

/// Performs the state machine's supplier actions through the supplier adapters and answers in the
/// domain's terms: every outcome, including every error, becomes the machine's next input.
public struct SupplierGateway: Sendable {
    private let catalogue: Catalogue
    private let clients: [String: any SupplierClient]
    private let logger: Logger

    /// - Parameters:
    ///   - clients: one adapter per supplier name used in the catalogue's pools.
    public init(catalogue: Catalogue, clients: [any SupplierClient], logger: Logger) {
        self.catalogue = catalogue
        self.clients = Dictionary(clients.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
    }

    /// What a purchase or a reconciliation came to.
    public enum PurchaseOutcome: Sendable, Hashable {
        /// The number bought (or, reconciling, found in the supplier's active list).
        case allocated(AllocatedNumber)
        /// Reconciling: no purchase of this attempt exists at the supplier.
        case notFound
        case failed(SupplierFailure)
    }

    /// What a look into the supplier's active list found.
    public enum ReconcileOutcome: Sendable, Hashable {
        /// The open activation the pool's matching gave the attempt's purchase (stored, so no other look takes
        /// it); nil when no number nobody owns was bought in its window.
        case matched(AllocatedNumber?)
        case failed(SupplierFailure)
        /// Purchases that can have landed in the attempt's window are still unanswered (their numbers are listed but
        /// not yet theirs): look again once they are answered.
        case unsettled(inFlight: Int)
    }

    /// Buys a number for one attempt; not at all once `sendBy` passed (see ``PurchaseOrder/sendBy``).
    public func purchase(_ attempt: AttemptSpec, maxPrice: Money?, sendBy: ContinuousClock.Instant? = nil) async -> PurchaseOutcome {
        await measured(attempt.route.supplier, "purchase", result: { if case .failed(let failure) = $0 { failure.kind.code } else { "ok" } }) {
            await self.buy(attempt, maxPrice: maxPrice, sendBy: sendBy)
        }
    }

    private func buy(_ attempt: AttemptSpec, maxPrice: Money?, sendBy: ContinuousClock.Instant?) async -> PurchaseOutcome {
        do throws(SupplierError) {
            let client = try client(attempt.route.supplier)
            let order = PurchaseOrder(
                service: try catalogue.service(attempt.route.service),
                country: try catalogue.country(attempt.route.country),
                numberType: try catalogue.numberType(attempt.route.numberType),
                maxPrice: maxPrice.map(Self.decimal),
                reference: attempt.reference, sendBy: sendBy)
            return .allocated(Self.allocated(try await client.buy(order)))
        } catch {
            return .failed(error.domainFailure)
        }
    }

    /// The entries of a supplier's active list that may be the purchase of an attempt on `route`, oldest first.
    ///
    /// Suppliers do not list the purchase reference, so a purchase is recognised by service, country (where
    /// listed) and purchase time between `notBefore` and `notAfter` (a second's slack each side: suppliers list
    /// whole seconds); ``ActiveListMatcher`` decides which of them an attempt takes.
    func candidates(
        for route: AttemptRoute, in listed: [ActiveActivation], notBefore: Date, notAfter: Date
    ) throws(SupplierError) -> [AllocatedNumber] {
        let service = try catalogue.service(route.service)
        let country = try catalogue.country(route.country)
        let serviceKeys: Set<String> = [service.code, service.handlerAPICode, service.fiveSimProduct]
        let countryKeys = Set([country.code, country.fiveSimName] + (country.handlerAPIID.map { [String($0)] } ?? []))
        let supplier = try catalogue.supplier(route.supplier)
        let candidates = listed.filter { active in
            serviceKeys.contains(active.serviceKey) && (active.countryKey.map(countryKeys.contains) ?? true)
                && (active.purchasedAt ?? .distantFuture) >= notBefore.addingTimeInterval(-1)
                && (active.purchasedAt ?? .distantPast) <= notAfter.addingTimeInterval(1)
        }
        return candidates.sorted { ($0.purchasedAt ?? .distantFuture) < ($1.purchasedAt ?? .distantFuture) }.map { found in
            let purchasedAt = found.purchasedAt ?? notBefore
            return AllocatedNumber(
                supplierActivationID: found.activationID, phoneNumber: found.phoneNumber, priceMinor: found.cost.map(Self.minorUnits),
                purchasedAt: purchasedAt, expiresAt: purchasedAt.addingTimeInterval(supplier.activationLifetime.seconds),
                cancellableAt: purchasedAt.addingTimeInterval(supplier.earlyCancelWindow.seconds))
        }
    }

    /// Every open activation of a supplier's key (the stranger scan of ``SupplierReconciler``, bulk status); with
    /// `recent`, those whose life ended by itself lately too (lost purchases are looked for among them:
    /// ``SupplierClient/recentActivations()``).
    public func activeActivations(supplier: String, recent: Bool = false) async -> ActiveListOutcome {
        await measured(supplier, "active_list", result: { if case .failed(let failure) = $0 { failure.kind.code } else { "ok" } }) {
            do throws(SupplierError) {
                let client = try self.client(supplier)
                return .listed(try await recent ? client.recentActivations() : client.activeActivations())
            } catch {
                return .failed(error.domainFailure)
            }
        }
    }

    /// What a read of a supplier's whole active list came to.
    public enum ActiveListOutcome: Sendable {
        case listed([ActiveActivation])
        case failed(SupplierFailure)
    }

    /// The names of the suppliers with an adapter.
    public var supplierNames: [String] { clients.keys.sorted() }

    /// The supplier's status of an activation.
    public func status(_ activation: SupplierActivationRef) async -> PollResult {
        await measured(activation.supplier, "status", result: { if case .failed(let failure) = $0 { failure.kind.code } else { "ok" } }) {
            do throws(SupplierError) {
                return try await self.client(activation.supplier).status(of: activation.activationID).pollResult
            } catch {
                return .failed(error.domainFailure)
            }
        }
    }

    /// Cancels an activation (refund when no SMS arrived).
    public func cancel(_ activation: SupplierActivationRef) async -> SupplierCallOutcome {
        await call(activation, "cancel") { (client, id) async throws(SupplierError) in try await client.cancel(id) }
    }

    /// Finishes an activation.
    public func finish(_ activation: SupplierActivationRef) async -> SupplierCallOutcome {
        await call(activation, "finish") { (client, id) async throws(SupplierError) in try await client.finish(id) }
    }

    /// Asks for another SMS on the same number.
    public func requestAnotherCode(_ activation: SupplierActivationRef) async -> SupplierCallOutcome {
        await call(activation, "another_code") { (client, id) async throws(SupplierError) in try await client.requestAnotherCode(id) }
    }

    private func call(
        _ activation: SupplierActivationRef, _ action: String,
        _ body: (any SupplierClient, String) async throws(SupplierError) -> Void
    ) async -> SupplierCallOutcome {
        await measured(activation.supplier, action, result: { if case .failed(let failure) = $0 { failure.kind.code } else { "ok" } }) {
            do throws(SupplierError) {
                try await body(try self.client(activation.supplier), activation.activationID)
                return .done(reply: nil)
            } catch {
                return .failed(error.domainFailure)
            }
        }
    }

    /// Runs one supplier call, counting it by result and timing it (``PoolMetrics/supplierCall``).
    ///
    /// Within an activation's trace (``TraceScope/current``) the call is a span of its own: a new span ID in the
    /// same trace, sent as the request's `traceparent` and named by the call's log lines. Calls for no activation
    /// (the reconciliation's active lists) send none.
    private func measured<Outcome>(
        _ supplier: String, _ action: String, result: (Outcome) -> String, _ body: () async -> Outcome
    ) async -> Outcome {
        let started = ContinuousClock.now
        let span = TraceScope.current?.child()
        let headers = span.map { SupplierTraceHeaders(traceparent: $0.traceparent, tracestate: $0.traceState) }
        let outcome = await TraceScope.$current.withValue(span) {
            await SupplierTraceHeaders.$current.withValue(headers) { await body() }
        }
        PoolMetrics.supplierCall(supplier: supplier, action: action, result: result(outcome), duration: ContinuousClock.now - started)
        return outcome
    }

    private func client(_ name: String) throws(SupplierError) -> any SupplierClient {
        guard let client = clients[name] else {
            _ = try catalogue.supplier(name)
            throw SupplierError(
                supplier: name, code: .invalidConfiguration, action: "route",
                message: "no adapter configured for supplier '\(name)'; check the suppliers of the pool in config/catalogue.yaml")
        }
        return client
    }

    static func allocated(_ number: PurchasedNumber) -> AllocatedNumber {
        AllocatedNumber(
            supplierActivationID: number.activationID, phoneNumber: number.phoneNumber, priceMinor: number.cost.map(minorUnits),
            currency: number.currency, purchasedAt: number.purchasedAt, expiresAt: number.expiresAt, cancellableAt: number.cancellableAt)
    }

    /// Supplier prices are decimals in the account's currency; the pool counts in minor units (2 decimals).
    static func minorUnits(_ amount: Decimal) -> Int64 {
        var scaled = amount * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .up)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// `money` as a decimal in major units (`1234` minor → `12.34`): the exponent set, where dividing by 100 took 1.6%
    /// of the engine's CPU (every purchase sends its max price).
    static func decimal(_ money: Money) -> Decimal {
        Decimal(sign: money.amountMinor < 0 ? .minus : .plus, exponent: -2, significand: Decimal(money.amountMinor.magnitude))
    }
}
