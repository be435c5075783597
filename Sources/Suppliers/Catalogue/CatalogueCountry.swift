/// A country numbers are bought in, with each protocol's id for it.
public struct CatalogueCountry: Sendable, Hashable, Codable {
    /// The catalogue's code, used by requests (`russia`).
    public var code: String
    /// A human name (`Russia`).
    public var name: String
    /// The handler_api integer country id (`0`), or nil when no handler_api supplier serves it.
    public var handlerAPIID: Int?
    /// The 5sim country name (`russia`). Default: ``code``.
    public var fiveSimName: String

    /// Creates a country.
    public init(code: String, name: String? = nil, handlerAPIID: Int?, fiveSimName: String? = nil) {
        self.code = code
        self.name = name ?? code
        self.handlerAPIID = handlerAPIID
        self.fiveSimName = fiveSimName ?? code
    }

    private enum CodingKeys: String, CodingKey {
        case code, name, handlerAPIID = "handler_api", fiveSimName = "fivesim"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code),
            name: try container.decodeIfPresent(String.self, forKey: .name),
            handlerAPIID: try container.decodeIfPresent(Int.self, forKey: .handlerAPIID),
            fiveSimName: try container.decodeIfPresent(String.self, forKey: .fiveSimName)
        )
    }
}
