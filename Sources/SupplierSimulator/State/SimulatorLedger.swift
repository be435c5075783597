/// Running totals of what the simulator sold, refunded and charged, in cents.
struct SimulatorLedger: Sendable {
    var purchases = 0
    var purchaseAttempts = 0
    var purchaseFailures = 0
    var cancels = 0
    var refunds = 0
    var expirations = 0
    var finishes = 0
    var codesDelivered = 0
    var anotherCodeRequests = 0
    var purchasedCents: Int64 = 0
    var refundedCents: Int64 = 0
    var chargedCents: Int64 = 0
    /// Requests seen, by `protocol.action`, and rejections by kind.
    var requests: [String: Int] = [:]
}
