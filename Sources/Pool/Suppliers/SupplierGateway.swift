import Activation
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

    /// Buys a number for one attempt.
    public func purchase(_ attempt: AttemptSpec, maxPrice: Money?) async -> PurchaseOutcome {
        do throws(SupplierError) {
            let client = try client(attempt.route.supplier)
            let order = PurchaseOrder(
                service: try catalogue.service(attempt.route.service),
                country: try catalogue.country(attempt.route.country),
                numberType: try catalogue.numberType(attempt.route.numberType),
                maxPrice: maxPrice.map(Self.decimal),
                reference: attempt.reference)
            return .allocated(Self.allocated(try await client.buy(order)))
        } catch {
            return .failed(error.domainFailure)
        }
    }

    /// Looks for an attempt's purchase in the supplier's active list (after a timeout or a crash).
    ///
    /// A purchase is recognised by its reference where the supplier echoes it, otherwise by service and
    /// purchase time at or after `notBefore`.
    public func reconcile(_ attempt: AttemptSpec, notBefore: Date) async -> PurchaseOutcome {
        do throws(SupplierError) {
            let client = try client(attempt.route.supplier)
            let service = try catalogue.service(attempt.route.service)
            let serviceKeys: Set<String> = [service.code, service.handlerAPICode, service.fiveSimProduct]
            let candidates = try await client.activeActivations().filter { active in
                serviceKeys.contains(active.serviceKey) && (active.purchasedAt ?? .distantFuture) >= notBefore.addingTimeInterval(-1)
            }
            guard let found = candidates.min(by: { ($0.purchasedAt ?? .distantFuture) < ($1.purchasedAt ?? .distantFuture) }) else {
                return .notFound
            }
            let supplier = try catalogue.supplier(attempt.route.supplier)
            let purchasedAt = found.purchasedAt ?? notBefore
            return .allocated(
                AllocatedNumber(
                    supplierActivationID: found.activationID, phoneNumber: found.phoneNumber, priceMinor: found.cost.map(Self.minorUnits),
                    purchasedAt: purchasedAt, expiresAt: purchasedAt.addingTimeInterval(supplier.activationLifetime.timeInterval),
                    cancellableAt: purchasedAt.addingTimeInterval(supplier.earlyCancelWindow.timeInterval)))
        } catch {
            return .failed(error.domainFailure)
        }
    }

    /// The supplier's status of an activation.
    public func status(_ activation: SupplierActivationRef) async -> PollResult {
        do throws(SupplierError) {
            return try await client(activation.supplier).status(of: activation.activationID).pollResult
        } catch {
            return .failed(error.domainFailure)
        }
    }

    /// Cancels an activation (refund when no SMS arrived).
    public func cancel(_ activation: SupplierActivationRef) async -> SupplierCallOutcome {
        await call(activation) { (client, id) async throws(SupplierError) in try await client.cancel(id) }
    }

    /// Finishes an activation.
    public func finish(_ activation: SupplierActivationRef) async -> SupplierCallOutcome {
        await call(activation) { (client, id) async throws(SupplierError) in try await client.finish(id) }
    }

    /// Asks for another SMS on the same number.
    public func requestAnotherCode(_ activation: SupplierActivationRef) async -> SupplierCallOutcome {
        await call(activation) { (client, id) async throws(SupplierError) in try await client.requestAnotherCode(id) }
    }

    private func call(
        _ activation: SupplierActivationRef,
        _ body: (any SupplierClient, String) async throws(SupplierError) -> Void
    ) async -> SupplierCallOutcome {
        do throws(SupplierError) {
            try await body(try client(activation.supplier), activation.activationID)
            return .done(reply: nil)
        } catch {
            return .failed(error.domainFailure)
        }
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
            purchasedAt: number.purchasedAt, expiresAt: number.expiresAt, cancellableAt: number.cancellableAt)
    }

    /// Supplier prices are decimals in the account's currency; the pool counts in minor units (2 decimals).
    static func minorUnits(_ amount: Decimal) -> Int64 {
        var scaled = amount * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .up)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    static func decimal(_ money: Money) -> Decimal {
        Decimal(money.amountMinor) / 100
    }
}
