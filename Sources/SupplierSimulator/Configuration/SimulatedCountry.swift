/// A country the simulator sells numbers in, under both protocols' ids.
public struct SimulatedCountry: Sendable, Hashable, Decodable {
    /// The handler_api integer id (`0`).
    public var id: Int
    /// The 5sim name (`russia`).
    public var name: String
    /// The dialling code numbers start with (`7`).
    public var dialCode: String
    /// The operators sold (5sim path segment, handler_api `operator`). Default: `any`, `virtual`.
    public var operators: [String]

    /// Creates a country.
    public init(id: Int, name: String, dialCode: String, operators: [String] = ["any", "virtual"]) {
        self.id = id
        self.name = name
        self.dialCode = dialCode
        self.operators = operators
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, dialCode = "dial_code", operators
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(Int.self, forKey: .id),
            name: try container.decode(String.self, forKey: .name),
            dialCode: try container.decodeIfPresent(String.self, forKey: .dialCode) ?? "999",
            operators: try container.decodeIfPresent([String].self, forKey: .operators) ?? ["any", "virtual"]
        )
    }

    /// The default countries: russia (0), indonesia (6), england (16), usa (187).
    public static let defaults: [SimulatedCountry] = [
        SimulatedCountry(id: 0, name: "russia", dialCode: "7"),
        SimulatedCountry(id: 6, name: "indonesia", dialCode: "62"),
        SimulatedCountry(id: 16, name: "england", dialCode: "44"),
        SimulatedCountry(id: 187, name: "usa", dialCode: "1"),
    ]
}
