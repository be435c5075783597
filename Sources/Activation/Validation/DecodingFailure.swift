/// Maps Foundation's decoding errors to reason codes, naming the field by its JSON path.
enum DecodingFailure {
    /// Keys whose values are timestamps: a corrupt value there is an `invalid_timestamp`.
    private static let timestampKeys: Set<String> = [
        "submitted_at", "issued_at", "occurred_at", "expires_at", "cancellable_at", "retry_at", "at",
    ]

    static func reason(for error: any Error) -> RejectionReason {
        guard let error = error as? DecodingError else {
            return RejectionReason(.malformedJSON, "the message could not be read: \(error)")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = self.path(context.codingPath + [key])
            return RejectionReason(.missingField, "\(field) is required", field: field)
        case .valueNotFound(_, let context):
            let field = self.path(context.codingPath)
            return RejectionReason(.missingField, "\(field) is null; it is required", field: field)
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return RejectionReason(.wrongType, "the top level must be a JSON object")
            }
            let field = self.path(context.codingPath)
            return RejectionReason(.wrongType, "\(field) must be \(self.jsonType(type))", field: field)
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return RejectionReason(.malformedJSON, "the message is not valid JSON")
            }
            let field = self.path(context.codingPath)
            if let last = context.codingPath.last?.stringValue, self.timestampKeys.contains(last) {
                return RejectionReason(
                    .invalidTimestamp, "\(field) must be an RFC 3339 timestamp (2026-05-01T12:00:00Z)", field: field)
            }
            return RejectionReason(.invalidValue, "\(field) has a value outside its domain", field: field)
        @unknown default:
            return RejectionReason(.malformedJSON, "the message could not be read")
        }
    }

    /// The reason for a failure of the full decode of a message whose probe read succeeded, so the JSON is
    /// well-formed: Foundation reports an unrepresentable number (`12.5` or `1e400` for an integer) as invalid
    /// JSON without a path, which here means a value outside its domain.
    static func reasonAfterProbe(for error: any Error) -> RejectionReason {
        let reason = self.reason(for: error)
        guard reason.code == .malformedJSON else { return reason }
        return RejectionReason(
            .invalidValue, "a number does not fit its field: amounts and versions are whole numbers within 64 bits")
    }

    /// `max_price.amount_minor`, `countries[2]`.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "a boolean"
        case is [String].Type, is [Any].Type: "an array"
        default: "an object"
        }
    }
}
