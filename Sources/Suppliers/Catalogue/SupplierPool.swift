/// An ordered list of suppliers to buy from: the first is preferred, the next are fallbacks.
public struct SupplierPool: Sendable, Hashable, Codable {
    /// The pool's name (`default`).
    public var name: String
    /// Supplier names in order of preference.
    public var suppliers: [String]

    /// Creates a pool.
    public init(name: String, suppliers: [String]) {
        self.name = name
        self.suppliers = suppliers
    }
}
