extension SupplierError {
    /// The kind of a ``SupplierError``; extensible without breaking `switch`es (a struct over a private enum).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case noInventory, noBalance, banned, earlyCancelDenied, badKey, badService, badCountry, badOperator
            case wrongMaxPrice, noActivation, badStatus, channelsLimit, rateLimited, timeout, transport
            case serverError, unknownReply, unsupported, unknownCode, invalidConfiguration, notSent
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No numbers for this service, country and operator (`NO_NUMBERS`, `no free phones`): try a fallback.
        public static let noInventory = Code(.noInventory)
        /// The account cannot pay the price (`NO_BALANCE`, `not enough user balance`): top up the account.
        public static let noBalance = Code(.noBalance)
        /// The account is locked (`BANNED:<until>`, `not enough rating`): use another supplier until then.
        public static let banned = Code(.banned)
        /// Cancel refused inside the early-cancel window (`EARLY_CANCEL_DENIED`): cancel again after it.
        public static let earlyCancelDenied = Code(.earlyCancelDenied)
        /// The API key was refused (`BAD_KEY`, HTTP 401): fix the key in the supplier configuration.
        public static let badKey = Code(.badKey)
        /// The supplier does not know the service (`BAD_SERVICE`, `WRONG_SERVICE`, `no product`).
        public static let badService = Code(.badService)
        /// The supplier does not know the country (`bad country`).
        public static let badCountry = Code(.badCountry)
        /// The supplier does not know the operator / number type (`bad operator`).
        public static let badOperator = Code(.badOperator)
        /// The max price is below the supplier's price (`WRONG_MAX_PRICE:<min>`): see ``SupplierError/minimumPrice``.
        public static let wrongMaxPrice = Code(.wrongMaxPrice)
        /// The activation id is unknown to the supplier (`NO_ACTIVATION`, `order not found`).
        public static let noActivation = Code(.noActivation)
        /// The status change is not allowed in the activation's state (`BAD_STATUS`, `order has sms` …).
        public static let badStatus = Code(.badStatus)
        /// Too many activations open at once (`CHANNELS_LIMIT`): retry once some finish.
        public static let channelsLimit = Code(.channelsLimit)
        /// The supplier's rate limit was hit (HTTP 429): retry after ``SupplierError/retryAfter``.
        public static let rateLimited = Code(.rateLimited)
        /// No reply within the request timeout.
        public static let timeout = Code(.timeout)
        /// The connection failed or broke.
        public static let transport = Code(.transport)
        /// The supplier failed internally (HTTP 5xx, `ERROR_SQL`).
        public static let serverError = Code(.serverError)
        /// A reply this adapter cannot read: the verbatim reply is kept for a human to look at.
        public static let unknownReply = Code(.unknownReply)
        /// The protocol or supplier has no such action (`BAD_ACTION`, another code on 5sim).
        public static let unsupported = Code(.unsupported)
        /// A service, country, number type, supplier or pool code the catalogue does not know.
        public static let unknownCode = Code(.unknownCode)
        /// The catalogue or supplier configuration is invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The request was not sent: its send deadline (``PurchaseOrder/sendBy``) passed first, waiting for the
        /// rate limit or in a paused process. Nothing happened at the supplier; the caller decides again.
        public static let notSent = Code(.notSent)

        /// Whether repeating the same request later may succeed.
        public var isRetriable: Bool {
            switch self.base {
            case .rateLimited, .timeout, .transport, .serverError, .channelsLimit, .earlyCancelDenied, .notSent: true
            default: false
            }
        }

        public var description: String { self.base.rawValue }
    }
}
