/// A service the simulator sells numbers for, under both protocols' codes.
public struct SimulatedService: Sendable, Hashable, Decodable {
    /// The handler_api code (`tg`).
    public var code: String
    /// The 5sim product (`telegram`).
    public var product: String

    /// Creates a service.
    public init(code: String, product: String) {
        self.code = code
        self.product = product
    }

    /// The default services: `tg`/telegram, `wa`/whatsapp, `go`/google.
    public static let defaults: [SimulatedService] = [
        SimulatedService(code: "tg", product: "telegram"),
        SimulatedService(code: "wa", product: "whatsapp"),
        SimulatedService(code: "go", product: "google"),
    ]
}
