/// One purchase to make: which attempt of the request, the route, and the reference to send the supplier.
public struct AttemptSpec: Sendable, Hashable, Codable {
    /// 1 for the first attempt, counting up.
    public var number: Int
    /// Supplier, service, country and number type.
    public var route: AttemptRoute
    /// The purchase reference (`<request_id>.<number>`): sent to the supplier where it takes one, and what
    /// reconciliation looks for in the supplier's active list after a crash or timeout.
    public var reference: String

    /// Creates a spec; the reference is derived from the request ID and attempt number.
    public init(number: Int, route: AttemptRoute, requestID: String) {
        self.number = number
        self.route = route
        self.reference = "\(requestID).\(number)"
    }

    private enum CodingKeys: String, CodingKey {
        case number, route, reference
    }
}
