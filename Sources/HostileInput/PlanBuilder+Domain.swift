import Activation

/// Well-formed values outside the domain, and requests reusing an idempotency key with another body.
extension PlanBuilder {
    /// Prices, list sizes and metadata beyond the limits, malformed codes and timestamps, and — accepted by the
    /// decoder, refused by the intake — unknown services, countries, number types, pools, accounts and
    /// currencies; commands of unknown kinds, too long reasons, and valid commands about unknown requests.
    mutating func planOutOfDomain() {
        let template = self.template
        let limits = self.limits
        let country = JSONTree.string(template.country)
        let codes = (1...limits.maxCountries + 1).map { JSONTree.string("c\($0)") }
        let fullValues = (1...limits.maxMetadataTotalBytes / limits.maxMetadataValueBytes + 1).map {
            ("k\($0)", Self.repeated("v", limits.maxMetadataValueBytes))
        }
        let requests: [ValueChange] = [
            ("service", "no-such-service", .string("no-such-service"), .rejected(.unknownService)),
            ("countries", "[atlantis]", .array([.string("atlantis")]), .rejected(.countryNotEnabled)),
            ("countries", "[\(template.country), atlantis]", .array([country, .string("atlantis")]),
             .rejected(.countryNotEnabled)),
            ("number_type", "pigeon", .string("pigeon"), .rejected(.invalidValue)),
            ("supplier_pool", "no-such-pool", .string("no-such-pool"), .rejected(.unknownSupplierPool)),
            ("account_id", template.unknownAccountID, .string(template.unknownAccountID), .rejected(.unknownAccount)),
            ("max_price.currency", template.otherCurrency, .string(template.otherCurrency),
             .rejected(.currencyMismatch)),
            ("max_price.amount_minor", "0", .number(0), nil),
            ("max_price.amount_minor", "-5", .number(-5), nil),
            ("max_price.amount_minor", "the cap + 1", .number(limits.maxPriceMinor + 1), nil),
            ("max_price.amount_minor", "Int64.max", .number(.max), nil),
            ("max_price.currency", "usd", .string("usd"), nil),
            ("max_price.currency", "US", .string("US"), nil),
            ("countries", "[\(template.country), \(template.country)]", .array([country, country]), nil),
            ("countries", "\(codes.count) countries", .array(codes), nil),
            ("countries[0]", "USA", .string("USA"), nil),
            ("service", "TG", .string("TG"), nil),
            ("request_id", "with a space", .string("with a space"), nil),
            ("idempotency_key", "one byte too long", Self.repeated("k", limits.maxIdentifierLength + 1), nil),
            ("number_type", "one byte too long", Self.repeated("a", limits.maxCodeLength + 1), nil),
            ("metadata", "\(limits.maxMetadataKeys + 1) keys",
             .object((0...limits.maxMetadataKeys).map { ("k\($0)", JSONTree.string("v")) }), nil),
            ("metadata", "\(fullValues.count) full values", .object(fullValues), nil),
            ("metadata", "an empty key", .object([("", .string("v"))]), nil),
            ("metadata", "a key one byte too long",
             .object([(String(repeating: "k", count: limits.maxMetadataKeyBytes + 1), .string("v"))]), nil),
            ("metadata.note", "one byte too long", Self.repeated("v", limits.maxMetadataValueBytes + 1), nil),
            ("submitted_at", "2026-02-30T00:00:00Z", .string("2026-02-30T00:00:00Z"), nil),
            ("submitted_at", "1969-12-31T23:59:59Z", .string("1969-12-31T23:59:59Z"), nil),
            ("submitted_at", "2026-05-01T24:00:00Z", .string("2026-05-01T24:00:00Z"), nil),
            ("submitted_at", "2026-05-01T12:00:00", .string("2026-05-01T12:00:00"), nil),
            ("submitted_at", "yesterday", .string("yesterday"), nil),
        ]
        self.addValues(.requests, requests)
        let commands: [ValueChange] = [
            ("kind", "launch", .string("launch"), nil),
            ("kind", "CANCEL", .string("CANCEL"), nil),
            ("kind", "cancel with a trailing space", .string("cancel "), nil),
            ("reason", "one byte too long", Self.repeated("r", limits.maxReasonBytes + 1), nil),
            ("issued_at", "2026-05-01", .string("2026-05-01"), nil),
            ("issued_at", "not a time", .string("not a time"), nil),
            ("command_id", "one byte too long", Self.repeated("c", limits.maxIdentifierLength + 1), nil),
            ("request_id", "with a space", .string("with a space"), nil),
            ("reason", "null", .null, nil),
        ]
        self.addValues(.commands, commands)
        for kind in ActivationCommandKind.allCases {
            let id = self.nextID(.commands)
            self.add(.commands, id: id, .outOfDomain, "a valid \(kind.rawValue) about a request nobody sent",
                     tree: template.command(id: id, kind: kind))
        }
    }

    /// A field, how to describe its new value, the value, and what the intake makes of it when it decodes
    /// (nil: the default).
    private typealias ValueChange = (field: String, label: String, value: JSONTree, intake: HostileOutcome?)

    private mutating func addValues(_ topic: HostileInput.Topic, _ changes: [ValueChange]) {
        for (field, label, value, intake) in changes {
            guard let target = Self.targets(topic).first(where: { $0.name == field }) else { continue }
            let id = self.nextID(topic)
            let tree = self.message(topic, id: id, target, value)
            self.add(topic, id: id, .outOfDomain, "\(field) = \(label)", tree: tree, intake: intake)
        }
    }

    /// A string of `count` times `character`.
    private static func repeated(_ character: Character, _ count: Int) -> JSONTree {
        .string(String(repeating: character, count: count))
    }

    /// Valid requests of the paying account, each followed by a request with its idempotency key and another
    /// body, which must be rejected with `duplicate_key_different_body`: another request ID and price, the same
    /// request ID with another price, other metadata, another account.
    mutating func planDuplicateKeys() {
        let template = self.template
        let price: [JSONPathStep] = [.key("max_price"), .key("amount_minor")]
        for pair in 0..<self.configuration.duplicatePairs {
            let originalID = self.nextID(.requests)
            let key = "dup-\(originalID)"
            let original = template.request(id: originalID, account: template.payingAccountID, key: key)
            self.add(.requests, id: originalID, .duplicateKeyOriginal, "a valid request with idempotency key \(key)",
                     tree: original, intake: .accepted)
            let id = self.nextID(.requests)
            let again = template.request(id: id, account: template.payingAccountID, key: key)
            let (summary, tree): (String, JSONTree?) = switch pair % 4 {
            case 0: ("another request ID, the key of \(originalID), max_price − 1",
                     again.replacing(price, with: .number(template.maxPriceMinor - 1)))
            case 1: ("the request ID and key of \(originalID), max_price − 1",
                     original.replacing(price, with: .number(template.maxPriceMinor - 1)))
            case 2: ("another request ID, the key of \(originalID), other metadata",
                     again.replacing([.key("metadata"), .key(HostileTemplate.metadataKey)], with: .string("changed")))
            default: ("another request ID, the key of \(originalID), another account",
                      template.request(id: id, key: key))
            }
            self.add(.requests, id: id, .duplicateKeyDifferentBody, summary, tree: tree ?? again,
                     intake: .rejected(.duplicateKeyDifferentBody), after: originalID)
        }
    }
}
