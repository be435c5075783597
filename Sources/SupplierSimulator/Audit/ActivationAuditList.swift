/// Every activation the simulator ever sold, by id. Served at `GET /sim/audit/activations`.
///
/// An object rather than a bare array, so fields can be added (a page cursor, a total) without breaking readers.
public struct ActivationAuditList: Sendable, Codable, Hashable {
    /// The activations, settled to the moment of the request, sorted by id (the order they were sold).
    public var activations: [ActivationAudit]

    /// Creates a list.
    public init(activations: [ActivationAudit]) {
        self.activations = activations
    }
}
