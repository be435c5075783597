import Activation

/// The valid request and command every hostile input starts from, their fields and the places to damage.
extension HostileTemplate {
    /// The `submitted_at` / `issued_at` of every message.
    static let timestamp = "2026-05-01T12:00:00Z"
    /// The metadata key and value of the valid request.
    static let metadataKey = "note"
    static let metadataValue = "hostile input generator"

    /// A valid request with ID `id`, its idempotency key derived from it.
    func request(id: String, account: String? = nil, key: String? = nil) -> JSONTree {
        .object([
            ("schema_version", .number(Int64(WireFormat.schemaVersion))),
            ("request_id", .string(id)),
            ("idempotency_key", .string(key ?? "key-\(id)")),
            ("account_id", .string(account ?? self.accountID)),
            ("service", .string(self.service)),
            ("countries", .array([.string(self.country)])),
            ("number_type", .string(self.numberType)),
            ("max_price", .object([
                ("amount_minor", .number(self.maxPriceMinor)), ("currency", .string(self.currency)),
            ])),
            ("supplier_pool", .string(self.supplierPool)),
            ("submitted_at", .string(Self.timestamp)),
            ("metadata", .object([(Self.metadataKey, .string(Self.metadataValue))])),
        ])
    }

    /// A valid `kind` command with ID `id` about the request `id`, which the worker does not know.
    func command(id: String, kind: ActivationCommandKind = .cancel) -> JSONTree {
        .object([
            ("schema_version", .number(Int64(WireFormat.schemaVersion))),
            ("command_id", .string(id)),
            ("request_id", .string(id)),
            ("kind", .string(kind.rawValue)),
            ("issued_at", .string(Self.timestamp)),
            ("reason", .string(Self.metadataValue)),
        ])
    }

    /// A currency code other than ``currency``.
    var otherCurrency: String { self.currency == "EUR" ? "GBP" : "EUR" }

    static let requestFields: [WireField] = [
        WireField(name: "schema_version", kind: .version, isRequired: true),
        WireField(name: "request_id", kind: .identifier, isRequired: true),
        WireField(name: "idempotency_key", kind: .identifier, isRequired: true),
        WireField(name: "account_id", kind: .identifier, isRequired: true),
        WireField(name: "service", kind: .code, isRequired: true),
        WireField(name: "countries", kind: .codeList, isRequired: true),
        WireField(name: "number_type", kind: .code, isRequired: true),
        WireField(name: "max_price", kind: .money, isRequired: true),
        WireField(name: "supplier_pool", kind: .code, isRequired: false),
        WireField(name: "submitted_at", kind: .timestamp, isRequired: true),
        WireField(name: "metadata", kind: .metadata, isRequired: false),
    ]

    static let commandFields: [WireField] = [
        WireField(name: "schema_version", kind: .version, isRequired: true),
        WireField(name: "command_id", kind: .identifier, isRequired: true),
        WireField(name: "request_id", kind: .identifier, isRequired: true),
        WireField(name: "kind", kind: .commandKind, isRequired: true),
        WireField(name: "issued_at", kind: .timestamp, isRequired: true),
        WireField(name: "reason", kind: .text, isRequired: false),
    ]

    /// Every value of a request, nested ones included, and the metadata key.
    static let requestTargets: [WireTarget] = [
        WireTarget(name: "schema_version", path: [.key("schema_version")], isString: false),
        WireTarget(name: "request_id", path: [.key("request_id")], isString: true),
        WireTarget(name: "idempotency_key", path: [.key("idempotency_key")], isString: true),
        WireTarget(name: "account_id", path: [.key("account_id")], isString: true),
        WireTarget(name: "service", path: [.key("service")], isString: true),
        WireTarget(name: "countries", path: [.key("countries")], isString: false),
        WireTarget(name: "countries[0]", path: [.key("countries"), .index(0)], isString: true),
        WireTarget(name: "number_type", path: [.key("number_type")], isString: true),
        WireTarget(name: "max_price", path: [.key("max_price")], isString: false),
        WireTarget(name: "max_price.amount_minor", path: [.key("max_price"), .key("amount_minor")], isString: false),
        WireTarget(name: "max_price.currency", path: [.key("max_price"), .key("currency")], isString: true),
        WireTarget(name: "supplier_pool", path: [.key("supplier_pool")], isString: true),
        WireTarget(name: "submitted_at", path: [.key("submitted_at")], isString: true),
        WireTarget(name: "metadata", path: [.key("metadata")], isString: false),
        WireTarget(name: "metadata.\(metadataKey)", path: [.key("metadata"), .key(metadataKey)], isString: true),
        WireTarget(name: "metadata key", path: [.key("metadata"), .key(metadataKey)], isKey: true, isString: true),
    ]

    /// Every value of a command.
    static let commandTargets: [WireTarget] = [
        WireTarget(name: "schema_version", path: [.key("schema_version")], isString: false),
        WireTarget(name: "command_id", path: [.key("command_id")], isString: true),
        WireTarget(name: "request_id", path: [.key("request_id")], isString: true),
        WireTarget(name: "kind", path: [.key("kind")], isString: true),
        WireTarget(name: "issued_at", path: [.key("issued_at")], isString: true),
        WireTarget(name: "reason", path: [.key("reason")], isString: true),
    ]
}
