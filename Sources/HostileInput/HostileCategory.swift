/// The kind of damage done to a valid request or command.
public enum HostileCategory: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Every strict prefix of a valid message: the JSON ends early.
    case truncatedJSON = "truncated_json"
    /// Arrays and objects nested beyond the decoder's depth limit (and exactly at it), at the top level and
    /// inside fields, up to ``HostileInputGenerator/Configuration/maxNestingDepth`` levels.
    case deepNesting = "deep_nesting"
    /// One string (or number) value of ``HostileInputGenerator/Configuration/oversizedValueBytes`` bytes in a
    /// field (10 MB by default).
    case oversizedValue = "oversized_value"
    /// A field holds a value of another JSON type, null, or an empty value.
    case wrongType = "wrong_type"
    /// A required field is absent.
    case missingField = "missing_field"
    /// SQL, script, template, path, shell, format-string, header and log injection strings in every string field.
    case injection
    /// A `schema_version` this worker does not read.
    case unknownSchemaVersion = "unknown_schema_version"
    /// Bytes that are not UTF-8 (overlong forms, surrogates, lone continuation bytes …) in every string field and
    /// at random places, and JSON escapes of lone surrogates.
    case invalidUTF8 = "invalid_utf8"
    /// Well-formed values outside the domain: prices, list sizes, metadata limits, unknown services, countries,
    /// pools, accounts, currencies, command kinds, requests.
    case outOfDomain = "out_of_domain"
    /// Whole messages that are not one JSON object: empty, whitespace, scalars, arrays, two objects, a BOM.
    case notAnObject = "not_an_object"
    /// Random bytes, binary and printable.
    case garbage
    /// A member twice in one object, a hostile value before or after the valid one. The decoder keeps the first
    /// occurrence (RFC 8259 leaves duplicate names to the reader; other readers keep the last).
    case duplicateMember = "duplicate_member"
    /// A request reusing the idempotency key of an earlier, accepted request with a different body.
    case duplicateKeyDifferentBody = "duplicate_key_different_body"
    /// The valid, accepted first request of a duplicate pair; not hostile itself.
    case duplicateKeyOriginal = "duplicate_key_original"

    public var description: String { self.rawValue }
}
