/// Everything bought under one request reference. Served at `GET /sim/audit/references/{reference}`.
public struct ReferenceAudit: Sendable, Codable, Hashable {
    /// The reference.
    public var reference: String
    /// Purchase requests carrying it, sold or not.
    public var attempts: Int
    /// Activations sold under it; more than one is a double purchase.
    public var activationIDs: [String]
}
