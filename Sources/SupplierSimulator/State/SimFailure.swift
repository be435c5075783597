/// Why the simulator refused a request, independent of the protocol that renders it.
enum SimFailure: Error, Sendable, Equatable {
    case badKey
    case rateLimited(retryAfter: Double)
    /// An injected HTTP 5xx, before any effect.
    case serverFault
    case badService
    case badCountry
    case badOperator
    case noNumbers
    case noBalance
    case wrongMaxPrice(minimumCents: Int64)
    case banned(until: String)
    case channelsLimit
    case noActivation
    /// A status change not allowed now; `hasCode` tells 5sim's `order has sms` from `order no sms`.
    case badStatus(hasCode: Bool)
    /// Cancel inside the early-cancel window; the window in real seconds (rounded up).
    case earlyCancel(windowSeconds: Int)
    /// An unknown action or status number.
    case badAction
}
