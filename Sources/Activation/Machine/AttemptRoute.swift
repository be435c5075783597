/// What identifies an attempt for the "never the same attempt twice" rule: supplier, service, country and
/// number type.
public struct AttemptRoute: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The supplier's configured name.
    public var supplier: String
    /// The catalogue service code.
    public var service: String
    /// The catalogue country code.
    public var country: String
    /// The catalogue number type.
    public var numberType: String

    /// Creates a route.
    public init(supplier: String, service: String, country: String, numberType: String) {
        self.supplier = supplier
        self.service = service
        self.country = country
        self.numberType = numberType
    }

    public var description: String { "\(self.supplier)/\(self.service)/\(self.country)/\(self.numberType)" }

    private enum CodingKeys: String, CodingKey {
        case supplier, service, country
        case numberType = "number_type"
    }
}
