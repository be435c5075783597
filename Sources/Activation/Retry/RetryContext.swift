/// What the retry policy may choose from, beyond the request: the supplier pool and the number types.
public struct RetryContext: Sendable, Hashable, Codable {
    /// Suppliers of the request's pool, preferred first.
    public var suppliers: [String]
    /// Number types the request accepts, its own first (see ``RetryPolicy/numberTypeFallbacks``).
    public var numberTypes: [String]

    /// Creates a context.
    public init(suppliers: [String], numberTypes: [String]) {
        self.suppliers = suppliers
        self.numberTypes = numberTypes
    }

    private enum CodingKeys: String, CodingKey {
        case suppliers
        case numberTypes = "number_types"
    }
}
