extension RejectionReason {
    /// A reason code: a snake_case string, extensible without breaking `switch`es (a struct, not an enum).
    public struct Code: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The code as it appears on the wire (`reason_code`).
        public var rawValue: String

        /// Creates a code.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        public init(stringLiteral value: String) { self.rawValue = value }

        public init(from decoder: any Decoder) throws {
            self.rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(self.rawValue)
        }

        public var description: String { self.rawValue }

        // MARK: Decoding (the wire format)

        /// The bytes are not JSON, or the top level is not an object.
        public static let malformedJSON: Code = "malformed_json"
        /// The bytes are not valid UTF-8.
        public static let invalidEncoding: Code = "invalid_encoding"
        /// The message is larger than the configured limit.
        public static let oversize: Code = "oversize"
        /// Objects or arrays nest deeper than the configured limit.
        public static let tooDeep: Code = "too_deep"
        /// `schema_version` is not one this worker reads.
        public static let unsupportedSchemaVersion: Code = "unsupported_schema_version"
        /// A required field is absent (or null).
        public static let missingField: Code = "missing_field"
        /// A field has the wrong JSON type.
        public static let wrongType: Code = "wrong_type"
        /// A field has the right type but a value outside its domain (an unknown enum value, a huge number).
        public static let invalidValue: Code = "invalid_value"
        /// An identifier is empty, too long or has characters outside its charset.
        public static let invalidIdentifier: Code = "invalid_identifier"
        /// A timestamp is not RFC 3339.
        public static let invalidTimestamp: Code = "invalid_timestamp"
        /// `countries` is empty.
        public static let emptyCountries: Code = "empty_countries"
        /// `countries` has more entries than the configured limit.
        public static let tooManyCountries: Code = "too_many_countries"
        /// `countries` names a country twice.
        public static let duplicateCountry: Code = "duplicate_country"
        /// `max_price.amount_minor` is zero or negative.
        public static let invalidPrice: Code = "invalid_price"
        /// `max_price.amount_minor` is above the configured cap.
        public static let priceTooHigh: Code = "price_too_high"
        /// `max_price.currency` is not an ISO 4217 code.
        public static let invalidCurrency: Code = "invalid_currency"
        /// `metadata` has too many keys, too long keys or values, or too many bytes in all.
        public static let metadataTooLarge: Code = "metadata_too_large"
        /// A free-text field (`reason`) is too long.
        public static let textTooLong: Code = "text_too_long"

        // MARK: Intake (confirmed by the worker against the catalogue, the account and the store)

        /// The service code is not in the catalogue.
        public static let unknownService: Code = "unknown_service"
        /// No requested country is enabled for the service.
        public static let countryNotEnabled: Code = "country_not_enabled"
        /// The supplier pool named in the request does not exist.
        public static let unknownSupplierPool: Code = "unknown_supplier_pool"
        /// No supplier has stock in any requested country at the price.
        public static let noInventory: Code = "no_inventory"
        /// The account does not exist.
        public static let unknownAccount: Code = "unknown_account"
        /// The account's available balance does not cover the max price.
        public static let insufficientBalance: Code = "insufficient_balance"
        /// The max price's currency is not the account's.
        public static let currencyMismatch: Code = "currency_mismatch"
        /// The idempotency key was seen with a different request body.
        public static let duplicateKeyDifferentBody: Code = "duplicate_key_different_body"

        // MARK: Commands

        /// A command names a request the pool does not know.
        public static let unknownRequest: Code = "unknown_request"
        /// A command is not allowed in the activation's current state.
        public static let invalidState: Code = "invalid_state"
    }
}
