import Foundation

/// What the activation workflow asks of an SMS supplier, whatever protocol it speaks.
///
/// Implementations are ``HandlerAPIClient`` and ``FiveSimClient``; ``makeSupplierClient(_:httpClient:logger:)``
/// picks one from a ``SupplierConfiguration``. Every method throws ``SupplierError`` only, with the supplier's
/// verbatim reply kept; every request waits its turn at the supplier's rate limit.
public protocol SupplierClient: Sendable {
    /// The supplier's configured name.
    var name: String { get }

    /// Buys a number.
    ///
    /// - Parameter order: service, country, number type, max price and the request reference.
    /// - Returns: the activation to follow.
    /// - Throws: ``SupplierError``; after a timeout the purchase may have happened, so reconcile with
    ///   ``activeActivations()`` before buying again.
    func buy(_ order: PurchaseOrder) async throws(SupplierError) -> PurchasedNumber

    /// Reads the status of one activation.
    func status(of activationID: String) async throws(SupplierError) -> SupplierStatus

    /// Tells the supplier the SMS has been sent (handler_api status 1); a no-op on 5sim.
    func markReady(_ activationID: String) async throws(SupplierError)

    /// Asks for another code on the same number (handler_api status 3; unsupported on 5sim).
    func requestAnotherCode(_ activationID: String) async throws(SupplierError)

    /// Completes the activation after a code arrived (handler_api status 6, 5sim finish).
    func finish(_ activationID: String) async throws(SupplierError)

    /// Cancels the activation; refunded when no code arrived (handler_api status 8, 5sim cancel).
    ///
    /// - Throws: ``SupplierError`` with code `earlyCancelDenied` inside the early-cancel window.
    func cancel(_ activationID: String) async throws(SupplierError)

    /// Lists the account's open activations with their status in one call (bulk polling, reconciliation).
    func activeActivations() async throws(SupplierError) -> [ActiveActivation]

    /// What a purchase whose answer was lost can be among: the open activations, and, where the supplier keeps an
    /// order history (5sim), those whose life ended by itself lately (billed with a code, or expired). A lost
    /// purchase looked for after its life ended with a code is billed; absent from the open list, it would be taken
    /// for one that never happened, and the charge left to nobody. Default: ``activeActivations()``.
    func recentActivations() async throws(SupplierError) -> [ActiveActivation]

    /// Reads the account balance.
    func balance() async throws(SupplierError) -> Decimal

    /// Reads prices and stock, optionally for one service and/or one country.
    func offers(service: CatalogueService?, country: CatalogueCountry?) async throws(SupplierError) -> [SupplierOffer]
}

extension SupplierClient {
    public func recentActivations() async throws(SupplierError) -> [ActiveActivation] {
        try await self.activeActivations()
    }
}
