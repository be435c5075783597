import Foundation

/// A supplier failure as the domain classifies it; the worker maps the supplier client's error to it.
public struct SupplierFailure: Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure: what the retry policy reacts to.
    public var kind: Kind
    /// The supplier's reply verbatim (API key scrubbed), for the timeline and escalation evidence.
    public var reply: String?
    /// A short explanation (the supplier error's message).
    public var message: String

    /// Creates a failure.
    public init(_ kind: Kind, message: String = "", reply: String? = nil) {
        self.kind = kind
        self.message = message
        self.reply = reply
    }

    public var description: String { self.message.isEmpty ? self.kind.code : "\(self.kind.code): \(self.message)" }

    /// The kinds of failure the retry policy distinguishes.
    public enum Kind: Sendable, Hashable {
        /// No numbers for this service in this country (`NO_NUMBERS`, `no free phones`).
        case noInventory
        /// The pool's account at the supplier has no money (`NO_BALANCE`).
        case noBalance
        /// The supplier banned the account or number (`BANNED:<until>`).
        case banned(until: String?)
        /// A cancel came too early; accepted from `until` on when the supplier said.
        case earlyCancelDenied(until: Date?)
        /// Too many requests; try again after the delay when given.
        case rateLimited(retryAfterSeconds: Double?)
        /// No reply in time: the request may have taken effect.
        case timeout
        /// The connection failed before a reply.
        case transport
        /// HTTP 5xx or a supplier database error.
        case serverError
        /// The supplier does not know the service (`BAD_SERVICE`): a client-workflow problem.
        case badService
        /// The supplier does not serve the country (`bad country`).
        case badCountry
        /// The supplier's price is above the max price (`WRONG_MAX_PRICE`).
        case priceAboveLimit
        /// The supplier sold the number in another currency than the request's: refused (cancelled).
        case currencyMismatch
        /// The supplier no longer knows the activation (`NO_ACTIVATION`).
        case noActivation
        /// The request does not fit the activation's state at the supplier (`BAD_STATUS`, `order has sms`).
        case badStatus
        /// The request never left the worker: its send deadline passed first. Nothing happened at the supplier.
        case notSent
        /// Anything else (bad key, unknown reply, unsupported action).
        case other

        /// A stable snake_case code for timelines and reason codes (`no_inventory`).
        public var code: String {
            switch self {
            case .noInventory: "no_inventory"
            case .noBalance: "no_balance"
            case .banned: "banned"
            case .earlyCancelDenied: "early_cancel_denied"
            case .rateLimited: "rate_limited"
            case .timeout: "timeout"
            case .transport: "transport"
            case .serverError: "server_error"
            case .badService: "bad_service"
            case .badCountry: "bad_country"
            case .priceAboveLimit: "price_above_limit"
            case .currencyMismatch: "currency_mismatch"
            case .noActivation: "no_activation"
            case .badStatus: "bad_status"
            case .notSent: "not_sent"
            case .other: "other"
            }
        }

        /// Whether a write whose reply carried this failure may still have taken effect at the supplier: no
        /// reply in time, a broken connection, or a 5xx from a gateway in front of a backend that committed.
        public var isAmbiguous: Bool {
            switch self {
            case .timeout, .transport, .serverError: true
            default: false
            }
        }

        /// Whether the same request may succeed later unchanged (transport-level trouble).
        public var isTransient: Bool {
            switch self {
            case .rateLimited, .timeout, .transport, .serverError, .earlyCancelDenied, .notSent: true
            default: false
            }
        }
    }
}
