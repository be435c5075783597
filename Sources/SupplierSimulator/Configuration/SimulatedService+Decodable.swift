extension SimulatedService {
    private enum CodingKeys: String, CodingKey {
        case code, product
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let code = try container.decode(String.self, forKey: .code)
        self.init(code: code, product: try container.decodeIfPresent(String.self, forKey: .product) ?? code)
    }
}
