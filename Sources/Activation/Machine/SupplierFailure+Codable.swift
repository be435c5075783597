import Foundation

extension SupplierFailure.Kind: Codable {
    /// The kind for a ``code``, without associated details; nil for an unknown code.
    public init?(code: String) {
        switch code {
        case "no_inventory": self = .noInventory
        case "no_balance": self = .noBalance
        case "banned": self = .banned(until: nil)
        case "early_cancel_denied": self = .earlyCancelDenied(until: nil)
        case "rate_limited": self = .rateLimited(retryAfterSeconds: nil)
        case "timeout": self = .timeout
        case "transport": self = .transport
        case "server_error": self = .serverError
        case "bad_service": self = .badService
        case "bad_country": self = .badCountry
        case "price_above_limit": self = .priceAboveLimit
        case "currency_mismatch": self = .currencyMismatch
        case "no_activation": self = .noActivation
        case "bad_status": self = .badStatus
        case "not_sent": self = .notSent
        case "other": self = .other
        default: return nil
        }
    }

    // Stored as the code alone: the details (ban end, retry delay) matter when the failure happens, and the
    // timeline keeps the supplier's reply verbatim.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        self = Self(code: code) ?? .other
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.code)
    }
}

extension AttemptFailure {
    private enum CodingKeys: String, CodingKey {
        case code, detail
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let code = try container.decode(String.self, forKey: .code)
        switch code {
        case "code_never_arrived": self = .codeNeverArrived
        case "ended_by_supplier":
            self = .endedBySupplier(try container.decodeIfPresent(String.self, forKey: .detail) ?? "")
        default: self = .purchaseFailed(SupplierFailure.Kind(code: code) ?? .other)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.code, forKey: .code)
        if case .endedBySupplier(let how) = self { try container.encode(how, forKey: .detail) }
    }
}
