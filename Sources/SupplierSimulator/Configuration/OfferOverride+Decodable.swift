import Foundation

extension OfferOverride {
    private enum CodingKeys: String, CodingKey {
        case service, country, price, currency, inventory, smsDelay = "sms_delay", noNumbersRate = "no_numbers_rate"
        case errorRate = "error_rate", timeoutRate = "timeout_rate", ambiguousErrorRate = "ambiguous_error_rate"
        case resetRate = "reset_rate", overMaxPriceRate = "over_max_price_rate", anotherCode = "another_code"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            service: try container.decodeIfPresent(String.self, forKey: .service),
            country: try Self.decodeKey(container, .country),
            price: try container.decodeIfPresent(Double.self, forKey: .price).map(Decimal.money),
            currency: try Self.decodeCurrency(container),
            inventory: try container.decodeIfPresent(Int.self, forKey: .inventory),
            smsDelay: try container.decodeIfPresent(DelayDistribution.self, forKey: .smsDelay),
            noNumbersRate: try container.decodeIfPresent(Double.self, forKey: .noNumbersRate),
            errorRate: try container.decodeIfPresent(Double.self, forKey: .errorRate),
            timeoutRate: try container.decodeIfPresent(Double.self, forKey: .timeoutRate),
            ambiguousErrorRate: try container.decodeIfPresent(Double.self, forKey: .ambiguousErrorRate),
            resetRate: try container.decodeIfPresent(Double.self, forKey: .resetRate),
            overMaxPriceRate: try container.decodeIfPresent(Double.self, forKey: .overMaxPriceRate),
            anotherCode: try container.decodeIfPresent(Bool.self, forKey: .anotherCode)
        )
    }

    /// A country written as a number (`187`) or a name (`usa`).
    private static func decodeKey(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String? {
        if let int = try? container.decodeIfPresent(Int.self, forKey: key) { return String(int) }
        return try container.decodeIfPresent(String.self, forKey: key)
    }

    /// An ISO 4217 alpha code, upper-cased (`usd` → `USD`). A numeric code is refused: the simulator writes the
    /// numeric form itself, and a configuration reads better with the letters.
    private static func decodeCurrency(_ container: KeyedDecodingContainer<CodingKeys>) throws -> String? {
        guard let text = try container.decodeIfPresent(String.self, forKey: .currency) else { return nil }
        let code = text.uppercased()
        guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .currency, in: container,
                debugDescription: "currency '\(text)' is not an ISO 4217 alpha code; write three letters such as USD, RUB or EUR"
            )
        }
        return code
    }
}
