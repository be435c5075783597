import Foundation

/// A first, lenient read of a message: is it a JSON object, which schema version, and the identity fields
/// (so a rejection can still name the request).
struct WireProbe: Sendable {
    /// Set when the message must be refused before the full decode (not an object, bad schema version).
    var failure: RejectionReason?
    /// Identity fields that were strings.
    var strings: [String: String] = [:]

    init(failure: RejectionReason?) {
        self.failure = failure
    }

    func validIdentifier(_ key: String, limits: WireLimits) -> String? {
        guard let value = self.strings[key],
            IdentifierRules.checkIdentifier(value, field: key, limits: limits) == nil
        else { return nil }
        return value
    }

    func validCode(_ key: String, limits: WireLimits) -> String? {
        guard let value = self.strings[key], IdentifierRules.checkCode(value, field: key, limits: limits) == nil
        else { return nil }
        return value
    }

    static func read(_ data: Data) -> WireProbe {
        do {
            return try WireFormat.makeDecoder().decode(Lenient.self, from: data).probe
        } catch {
            let reason = DecodingFailure.reason(for: error)
            if reason.code == .wrongType, reason.field == nil {
                return WireProbe(failure: RejectionReason(
                    .malformedJSON, "the message is JSON but not an object; send a JSON object"))
            }
            return WireProbe(failure: reason)
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { self.stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct Lenient: Decodable {
        var probe: WireProbe

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            var probe = WireProbe(failure: nil)
            for name in ["request_id", "idempotency_key", "account_id", "service", "command_id"] {
                if let value = try? container.decodeIfPresent(String.self, forKey: Key(name)) {
                    probe.strings[name] = value
                }
            }
            let version = Key("schema_version")
            if !container.contains(version) || (try? container.decodeNil(forKey: version)) == true {
                probe.failure = RejectionReason(
                    .missingField, "schema_version is missing; send \(WireFormat.schemaVersion)",
                    field: "schema_version")
            } else if let number = try? container.decode(Int.self, forKey: version) {
                if number != WireFormat.schemaVersion {
                    probe.failure = RejectionReason(
                        .unsupportedSchemaVersion,
                        "schema_version \(number) is not supported; this worker reads version "
                            + "\(WireFormat.schemaVersion)",
                        field: "schema_version")
                }
            } else {
                probe.failure = RejectionReason(
                    .wrongType, "schema_version must be an integer", field: "schema_version")
            }
            self.probe = probe
        }
    }
}
