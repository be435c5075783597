/// The character sets of identifiers and codes on the wire.
///
/// Identifiers (`request_id` …) allow `[A-Za-z0-9._:-]` so UUIDs, ULIDs and prefixed ids fit, and nothing that
/// could break a Kafka key, a log line or a file name. Codes (`service`, countries …) are lower-case
/// `[a-z0-9_-]` as in the catalogue.
enum IdentifierRules {
    /// Nil when `value` is a valid identifier, else the reason.
    static func checkIdentifier(_ value: String, field: String, limits: WireLimits) -> RejectionReason? {
        self.check(value, field: field, maxLength: limits.maxIdentifierLength, kind: "identifier",
                   allowed: "A-Z a-z 0-9 . _ : -") { byte in
            isAlphanumeric(byte) || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D
        }
    }

    /// Nil when `value` is a valid code, else the reason.
    static func checkCode(_ value: String, field: String, limits: WireLimits) -> RejectionReason? {
        self.check(value, field: field, maxLength: limits.maxCodeLength, kind: "code", allowed: "a-z 0-9 _ -") {
            byte in (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D
        }
    }

    private static func check(
        _ value: String, field: String, maxLength: Int, kind: String, allowed: String,
        isAllowed: (UInt8) -> Bool
    ) -> RejectionReason? {
        let bytes = value.utf8
        if bytes.isEmpty {
            return RejectionReason(.invalidIdentifier, "\(field) is empty; send a non-empty \(kind)", field: field)
        }
        if bytes.count > maxLength {
            return RejectionReason(
                .invalidIdentifier, "\(field) is \(bytes.count) bytes; the limit is \(maxLength)", field: field)
        }
        if !bytes.allSatisfy(isAllowed) {
            return RejectionReason(
                .invalidIdentifier, "\(field) has characters outside [\(allowed)]", field: field)
        }
        return nil
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
