/// The activation at a supplier that a cancel, finish, status check or request for another code is about.
public struct SupplierActivationRef: Sendable, Hashable, Codable {
    /// The attempt it belongs to.
    public var attempt: Int
    /// The supplier's configured name.
    public var supplier: String
    /// The supplier's activation (order) id.
    public var activationID: String

    /// Creates a reference.
    public init(attempt: Int, supplier: String, activationID: String) {
        self.attempt = attempt
        self.supplier = supplier
        self.activationID = activationID
    }

    private enum CodingKeys: String, CodingKey {
        case attempt, supplier
        case activationID = "activation_id"
    }
}
