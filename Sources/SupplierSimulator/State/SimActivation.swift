/// One activation inside the simulator; times are supplier seconds.
struct SimActivation: Sendable {
    /// Where the activation stands.
    enum Phase: String, Sendable {
        /// Bought, no code yet, status 1 not set.
        case waiting
        /// Status 1 (ready) set, no code yet.
        case ready
        /// A code arrived.
        case codeReceived = "code_received"
        /// Status 3 (another code) set, waiting for the next code.
        case retryRequested = "retry_requested"
        /// Status 6 (finish) set.
        case finished
        /// Status 8 (cancel) set before any code: refunded.
        case cancelled
        /// 5sim ban before any code: refunded.
        case banned
        /// The lifetime passed; refunded when no code arrived.
        case expired

        /// Whether nothing can change any more.
        var isTerminal: Bool {
            switch self {
            case .finished, .cancelled, .banned, .expired: true
            default: false
            }
        }
    }

    let id: Int
    let key: String
    let reference: String?
    let service: Int
    let country: Int
    let `operator`: String
    let phone: String
    let priceCents: Int64
    /// The ISO 4217 alpha code of the price, the offer's when it was sold.
    let currency: String
    /// The buyer's limit as sent, in cents, when it sent one; below ``priceCents`` when sold over it.
    let maxPriceCents: Int64?
    let createdAt: Double
    let expiresAt: Double
    let anotherCodeAllowed: Bool
    var phase: Phase = .waiting
    /// When the pending SMS arrives, or nil when none is pending (or it never will).
    var nextCodeAt: Double?
    /// Codes delivered so far, oldest first.
    var codes: [String] = []
    /// When each code arrived.
    var codeTimes: [Double] = []
    var refunded = false
    var anotherCodeRequests = 0

    /// Whether a code has arrived (the activation is charged).
    var isCharged: Bool { !self.codes.isEmpty }
}
