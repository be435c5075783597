import Activation

/// A top-level field of a request or command and what the wire format allows in it.
///
/// ``verdict(_:limits:)`` is the expected decoder outcome for one field's value, following the JSON schemas
/// and ``Activation/WireLimits``: a value of the wrong JSON type is `wrong_type`, a missing or null required
/// field `missing_field`, and so on. The generator damages one field per input, so the first field with a
/// verdict is the message's.
struct WireField: Sendable {
    /// The shape a field's value must have.
    enum Kind: Sendable {
        /// `schema_version`: an integer equal to ``Activation/WireFormat/schemaVersion``.
        case version
        /// An identifier string (``WireRules/isIdentifier(_:limits:)``).
        case identifier
        /// A code string (``WireRules/isCode(_:limits:)``).
        case code
        /// `countries`: a non-empty list of distinct codes, at most ``Activation/WireLimits/maxCountries``.
        case codeList
        /// `max_price`: `{amount_minor: integer in 1…maxPriceMinor, currency: ISO 4217}`.
        case money
        /// An RFC 3339 timestamp string, as ``Activation/RFC3339/parse(_:)`` reads them (the grammar is the domain's;
        /// every timestamp the generator damages is plainly invalid, so this borrows no decision that matters).
        case timestamp
        /// `metadata`: an object of strings within the metadata limits.
        case metadata
        /// A free-text string of at most ``Activation/WireLimits/maxReasonBytes``.
        case text
        /// A command kind (``Activation/ActivationCommandKind``).
        case commandKind
    }

    /// The member's name.
    var name: String
    var kind: Kind
    var isRequired: Bool

    /// The first defect of a whole message, field by field; nil when the decoder must accept it.
    static func verdict(of message: JSONTree, fields: [WireField], limits: WireLimits) -> RejectionReason.Code? {
        for field in fields {
            if let code = field.verdict(message[field.name], limits: limits) { return code }
        }
        return nil
    }

    /// The decoder's outcome for `value` (nil: absent) in this field; nil when it is acceptable.
    func verdict(_ value: JSONTree?, limits: WireLimits) -> RejectionReason.Code? {
        guard let value, !value.isNull else { return self.isRequired ? .missingField : nil }
        // Foundation reads strings lazily: a lone surrogate escape fails the full decode without a field,
        // which the decoder reports as a value outside its domain.
        if value.containsUnreadable { return .invalidValue }
        switch self.kind {
        case .version:
            guard case .leaf(_, .integer(let number)) = value else { return .wrongType }
            return number == Int64(WireFormat.schemaVersion) ? nil : .unsupportedSchemaVersion
        case .identifier:
            guard let text = value.string else { return .wrongType }
            return WireRules.isIdentifier(text, limits: limits) ? nil : .invalidIdentifier
        case .code:
            guard let text = value.string else { return .wrongType }
            return WireRules.isCode(text, limits: limits) ? nil : .invalidIdentifier
        case .codeList:
            return Self.codeListVerdict(value, limits: limits)
        case .money:
            return Self.moneyVerdict(value, limits: limits)
        case .timestamp:
            guard let text = value.string else { return .wrongType }
            return RFC3339.parse(text) == nil ? .invalidTimestamp : nil
        case .metadata:
            return Self.metadataVerdict(value, limits: limits)
        case .text:
            guard let text = value.string else { return .wrongType }
            return text.utf8.count > limits.maxReasonBytes ? .textTooLong : nil
        case .commandKind:
            guard let text = value.string else { return .wrongType }
            return ActivationCommandKind(rawValue: text) == nil ? .invalidValue : nil
        }
    }

    /// Elements are decoded (types) before the list is validated (size, codes, duplicates).
    private static func codeListVerdict(_ value: JSONTree, limits: WireLimits) -> RejectionReason.Code? {
        guard case .array(let elements) = value else { return .wrongType }
        var codes: [String] = []
        for element in elements {
            if element.isNull { return .missingField }
            guard let text = element.string else { return .wrongType }
            codes.append(text)
        }
        if codes.isEmpty { return .emptyCountries }
        if codes.count > limits.maxCountries { return .tooManyCountries }
        var seen = Set<String>()
        for code in codes {
            if !WireRules.isCode(code, limits: limits) { return .invalidIdentifier }
            if !seen.insert(code).inserted { return .duplicateCountry }
        }
        return nil
    }

    /// `amount_minor` is decoded before `currency`; then the currency is validated before the amount.
    private static func moneyVerdict(_ value: JSONTree, limits: WireLimits) -> RejectionReason.Code? {
        guard case .object = value else { return .wrongType }
        var amount: Int64 = 0
        switch value["amount_minor"] {
        case nil, .leaf(_, .null)?: return .missingField
        case .leaf(_, .integer(let number))?: amount = number
        case .leaf(_, .fraction)?, .leaf(_, .hugeNumber)?: return .invalidValue
        default: return .wrongType
        }
        guard let currency = value["currency"], !currency.isNull else { return .missingField }
        guard let code = currency.string else { return .wrongType }
        if !WireRules.isCurrency(code) { return .invalidCurrency }
        if amount <= 0 { return .invalidPrice }
        if amount > limits.maxPriceMinor { return .priceTooHigh }
        return nil
    }

    private static func metadataVerdict(_ value: JSONTree, limits: WireLimits) -> RejectionReason.Code? {
        guard case .object(let members) = value else { return .wrongType }
        var total = 0
        for member in members {
            if member.value.isNull { return .missingField }
            if member.value.string == nil { return .wrongType }
        }
        if members.count > limits.maxMetadataKeys { return .metadataTooLarge }
        for member in members {
            let keyBytes = member.key.utf8.count
            let valueBytes = member.value.string?.utf8.count ?? 0
            if keyBytes == 0 || keyBytes > limits.maxMetadataKeyBytes || valueBytes > limits.maxMetadataValueBytes {
                return .metadataTooLarge
            }
            total += keyBytes + valueBytes
        }
        return total > limits.maxMetadataTotalBytes ? .metadataTooLarge : nil
    }
}

extension JSONTree {
    /// Whether this is a `null` leaf.
    var isNull: Bool {
        if case .leaf(_, .null) = self { return true }
        return false
    }
}
