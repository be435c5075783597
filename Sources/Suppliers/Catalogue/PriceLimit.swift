import Basics
import Foundation

/// The most one activation of a service may cost in one country, overriding the service's own `max_price`.
public struct PriceLimit: Sendable, Hashable, Codable {
    /// The service's catalogue code.
    public var service: String
    /// The country's catalogue code.
    public var country: String
    /// The limit.
    public var maxPrice: Decimal

    /// Creates a limit.
    public init(service: String, country: String, maxPrice: Decimal) {
        self.service = service
        self.country = country
        self.maxPrice = maxPrice
    }

    private enum CodingKeys: String, CodingKey {
        case service, country, maxPrice = "max_price"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            service: try container.decode(String.self, forKey: .service),
            country: try container.decode(String.self, forKey: .country),
            maxPrice: .money(try container.decode(Double.self, forKey: .maxPrice))
        )
    }
}
