/// A kind of number (any operator, a given operator, virtual …) with each protocol's operator for it.
public struct NumberType: Sendable, Hashable, Codable {
    /// The catalogue's code (`any`).
    public var code: String
    /// The handler_api `operator` parameter, or nil to send none.
    public var handlerAPIOperator: String?
    /// The 5sim operator path segment. Default: `any`.
    public var fiveSimOperator: String

    /// Creates a number type.
    public init(code: String, handlerAPIOperator: String? = nil, fiveSimOperator: String = "any") {
        self.code = code
        self.handlerAPIOperator = handlerAPIOperator
        self.fiveSimOperator = fiveSimOperator
    }

    /// Any operator: no handler_api `operator`, 5sim `any`.
    public static let any = NumberType(code: "any")

    private enum CodingKeys: String, CodingKey {
        case code, handlerAPIOperator = "handler_api_operator", fiveSimOperator = "fivesim_operator"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code),
            handlerAPIOperator: try container.decodeIfPresent(String.self, forKey: .handlerAPIOperator),
            fiveSimOperator: try container.decodeIfPresent(String.self, forKey: .fiveSimOperator) ?? "any"
        )
    }
}
