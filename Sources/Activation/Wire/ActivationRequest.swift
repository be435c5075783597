import Foundation

/// A client's order for one OTP activation (topic `otp.activation.requests`, key = ``requestID``), schema v1.
///
/// Decode untrusted bytes with ``WireDecoder/decodeRequest(_:)``, which validates as well; the plain `Codable`
/// conformance only maps fields. Unknown fields are ignored so producers may add fields ahead of consumers.
public struct ActivationRequest: Sendable, Hashable, Codable {
    /// The wire schema version. Always ``WireFormat/schemaVersion`` for values this module accepts.
    public var schemaVersion: Int
    /// The request's identity: Kafka key, event key, PostgreSQL primary key.
    public var requestID: String
    /// One purchase per key: a repeated key re-emits the existing state and never buys again.
    public var idempotencyKey: String
    /// The account that pays.
    public var accountID: String
    /// The catalogue service code (`tg`).
    public var service: String
    /// Allowed catalogue country codes, most preferred first; retries walk this list in order.
    public var countries: [String]
    /// The catalogue number type (`any`, `mobile`, `virtual`, `voip` …).
    public var numberType: String
    /// The most the client pays for the activation; held on the account while it is in flight.
    public var maxPrice: Money
    /// A supplier pool to buy from instead of the default, when the client has a preference.
    public var supplierPool: String?
    /// When the client submitted the request (informational; timing uses the worker's clock).
    public var submittedAt: Date
    /// Free-form client strings, carried through to events' timelines untouched.
    public var metadata: [String: String]

    /// Creates a request.
    public init(
        schemaVersion: Int = WireFormat.schemaVersion,
        requestID: String,
        idempotencyKey: String,
        accountID: String,
        service: String,
        countries: [String],
        numberType: String = "any",
        maxPrice: Money,
        supplierPool: String? = nil,
        submittedAt: Date,
        metadata: [String: String] = [:]
    ) {
        self.schemaVersion = schemaVersion
        self.requestID = requestID
        self.idempotencyKey = idempotencyKey
        self.accountID = accountID
        self.service = service
        self.countries = countries
        self.numberType = numberType
        self.maxPrice = maxPrice
        self.supplierPool = supplierPool
        self.submittedAt = submittedAt
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version"
        case requestID = "request_id"
        case idempotencyKey = "idempotency_key"
        case accountID = "account_id"
        case service, countries
        case numberType = "number_type"
        case maxPrice = "max_price"
        case supplierPool = "supplier_pool"
        case submittedAt = "submitted_at"
        case metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        self.requestID = try container.decode(String.self, forKey: .requestID)
        self.idempotencyKey = try container.decode(String.self, forKey: .idempotencyKey)
        self.accountID = try container.decode(String.self, forKey: .accountID)
        self.service = try container.decode(String.self, forKey: .service)
        self.countries = try container.decode([String].self, forKey: .countries)
        self.numberType = try container.decode(String.self, forKey: .numberType)
        self.maxPrice = try container.decode(Money.self, forKey: .maxPrice)
        self.supplierPool = try container.decodeIfPresent(String.self, forKey: .supplierPool)
        self.submittedAt = try container.decode(Date.self, forKey: .submittedAt)
        self.metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
    }

    /// The fields JSON Schema lists as required (the schema-consistency test compares them).
    static let requiredFields: Set<String> = [
        "schema_version", "request_id", "idempotency_key", "account_id", "service", "countries", "number_type",
        "max_price", "submitted_at",
    ]
}
