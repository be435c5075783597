import Foundation

/// A client's instruction about an activation in flight (topic `otp.activation.commands`, key = request ID).
///
/// Decode untrusted bytes with ``WireDecoder/decodeCommand(_:)``. A command that does not fit the activation's
/// state is answered with a `command_rejected` event; a redelivered command (same ``commandID``) is ignored.
public struct ActivationCommand: Sendable, Hashable, Codable {
    /// The wire schema version.
    public var schemaVersion: Int
    /// The command's identity, for dedupe of redeliveries.
    public var commandID: String
    /// The activation it is about.
    public var requestID: String
    /// What to do.
    public var kind: ActivationCommandKind
    /// When the client issued it.
    public var issuedAt: Date
    /// The client's free-text reason (kept on the timeline; required in spirit for `dispute`).
    public var reason: String?

    /// Creates a command.
    public init(
        schemaVersion: Int = WireFormat.schemaVersion,
        commandID: String,
        requestID: String,
        kind: ActivationCommandKind,
        issuedAt: Date,
        reason: String? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.commandID = commandID
        self.requestID = requestID
        self.kind = kind
        self.issuedAt = issuedAt
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case schemaVersion = "schema_version"
        case commandID = "command_id"
        case requestID = "request_id"
        case kind
        case issuedAt = "issued_at"
        case reason
    }

    /// The fields JSON Schema lists as required.
    static let requiredFields: Set<String> = ["schema_version", "command_id", "request_id", "kind", "issued_at"]

    /// Checks the fields against `limits`; nil when the command is valid.
    public func validationFailure(limits: WireLimits = .default) -> RejectionReason? {
        if self.schemaVersion != WireFormat.schemaVersion {
            return RejectionReason(
                .unsupportedSchemaVersion,
                "schema_version \(self.schemaVersion) is not supported; this worker reads version "
                    + "\(WireFormat.schemaVersion)",
                field: "schema_version")
        }
        for (field, value) in [("command_id", self.commandID), ("request_id", self.requestID)] {
            if let reason = IdentifierRules.checkIdentifier(value, field: field, limits: limits) { return reason }
        }
        if let reason, reason.utf8.count > limits.maxReasonBytes {
            return RejectionReason(
                .textTooLong, "reason is \(reason.utf8.count) bytes; the limit is \(limits.maxReasonBytes)",
                field: "reason")
        }
        return nil
    }
}
