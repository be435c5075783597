import Activation

/// The character rules of identifiers, codes and currencies, as the JSON schemas in `config/schemas/` state them.
///
/// Written here from the schemas rather than borrowed from the decoder, so the expected outcomes the generator
/// states are an independent check of the decoder, not a copy of it.
enum WireRules {
    /// `^[A-Za-z0-9._:-]{1,max}$`: request, command, account IDs and idempotency keys.
    static func isIdentifier(_ text: String, limits: WireLimits) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= limits.maxIdentifierLength
            && bytes.allSatisfy { self.isAlphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x3A || $0 == 0x2D }
    }

    /// `^[a-z0-9_-]{1,max}$`: service, country, number type and supplier pool codes.
    static func isCode(_ text: String, limits: WireLimits) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= limits.maxCodeLength
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D }
    }

    /// `^[A-Z]{3}$`: an ISO 4217 currency code.
    static func isCurrency(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
