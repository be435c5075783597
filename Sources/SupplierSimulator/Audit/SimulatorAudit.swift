import Foundation

/// The simulator's ground truth: what was bought, refunded and charged. Fault tests reconcile against it.
///
/// Money identity: `totalPurchased == totalCharged + totalRefunded + totalPending`, where pending is the price of
/// open activations without a code. Served as JSON (snake_case keys) at `GET /sim/audit`.
public struct SimulatorAudit: Sendable, Codable, Hashable {
    /// Numbers sold.
    public var purchases: Int
    /// Purchase requests that reached the simulator, sold or not.
    public var purchaseAttempts: Int
    /// Purchase requests refused (no numbers, balance, max price …).
    public var purchaseFailures: Int
    /// Cancels that took effect (each refunded).
    public var cancels: Int
    /// Refunds: cancels, bans and expiries without a code.
    public var refunds: Int
    /// Activations whose lifetime passed.
    public var expirations: Int
    /// Activations finished (status 6, 5sim finish).
    public var finishes: Int
    /// Codes delivered, another-code ones included.
    public var codesDelivered: Int
    /// Requests for another code.
    public var anotherCodeRequests: Int
    /// Activations still open.
    public var openActivations: Int
    /// The price of everything sold.
    public var totalPurchased: Decimal
    /// Money given back.
    public var totalRefunded: Decimal
    /// Money kept: activations that received a code.
    public var totalCharged: Decimal
    /// Money held by open activations without a code.
    public var totalPending: Decimal
    /// Distinct request references seen on purchases.
    public var references: Int
    /// References under which more than one number was sold (double purchases), sorted.
    public var duplicateReferences: [String]
    /// Requests by `protocol.action`, plus `rejected.rate_limited`, `fault.server_error`, `fault.timeout`.
    public var requests: [String: Int]
}
