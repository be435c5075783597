import Foundation

/// Turns untrusted bytes into validated requests and commands, or a ``WireRejection`` with a reason code.
///
/// Total over all inputs: size, UTF-8 and nesting depth are checked on raw bytes before parsing
/// (``WireLimits``), Foundation's decoder reports every other defect as an error, and each error maps to one
/// reason code. No input traps.
public struct WireDecoder: Sendable {
    /// The limits applied.
    public var limits: WireLimits

    /// Creates a decoder with `limits`.
    public init(limits: WireLimits = .default) {
        self.limits = limits
    }

    /// Decodes and validates a request.
    ///
    /// - Throws: ``WireRejection`` with the reason and any identity that could be read.
    public func decodeRequest(_ bytes: some Collection<UInt8>) throws(WireRejection) -> ActivationRequest {
        let data = Data(bytes)
        if let request = decodedOnce(data, as: ActivationRequest.self, validation: { $0.validationFailure(limits: limits) }) {
            return request
        }
        let identity = self.preflightAndProbe(data)
        var rejection = WireRejection(
            reason: RejectionReason(.malformedJSON, "unreadable"),
            requestID: identity.validIdentifier("request_id", limits: self.limits),
            accountID: identity.validIdentifier("account_id", limits: self.limits),
            service: identity.validCode("service", limits: self.limits))
        if let reason = identity.failure {
            rejection.reason = reason
            throw rejection
        }
        do {
            let request = try WireFormat.makeDecoder().decode(ActivationRequest.self, from: data)
            if let reason = request.validationFailure(limits: self.limits) {
                rejection.reason = reason
                throw rejection
            }
            return request
        } catch let error as WireRejection {
            throw error
        } catch {
            rejection.reason = DecodingFailure.reasonAfterProbe(for: error)
            throw rejection
        }
    }

    /// Decodes and validates a command.
    ///
    /// - Throws: ``WireRejection`` with the reason and the request and command IDs when readable.
    public func decodeCommand(_ bytes: some Collection<UInt8>) throws(WireRejection) -> ActivationCommand {
        let data = Data(bytes)
        if let command = decodedOnce(data, as: ActivationCommand.self, validation: { $0.validationFailure(limits: limits) }) {
            return command
        }
        let identity = self.preflightAndProbe(data)
        var rejection = WireRejection(
            reason: RejectionReason(.malformedJSON, "unreadable"),
            requestID: identity.validIdentifier("request_id", limits: self.limits),
            commandID: identity.validIdentifier("command_id", limits: self.limits))
        if let reason = identity.failure {
            rejection.reason = reason
            throw rejection
        }
        do {
            let command = try WireFormat.makeDecoder().decode(ActivationCommand.self, from: data)
            if let reason = command.validationFailure(limits: self.limits) {
                rejection.reason = reason
                throw rejection
            }
            return command
        } catch let error as WireRejection {
            throw error
        } catch {
            rejection.reason = DecodingFailure.reasonAfterProbe(for: error)
            throw rejection
        }
    }

    /// Decodes an event (the escalation worker's input); events are ours, so only size and shape are checked.
    ///
    /// - Throws: ``WireRejection``.
    public func decodeEvent(_ bytes: some Collection<UInt8>) throws(WireRejection) -> ActivationEvent {
        let data = Data(bytes)
        var limits = self.limits
        limits.maxMessageBytes = max(limits.maxMessageBytes, 4 * 1024 * 1024)
        limits.maxNestingDepth = max(limits.maxNestingDepth, 32)
        if let reason = JSONPreflight.check(data, limits: limits) { throw WireRejection(reason: reason) }
        do {
            let event = try WireFormat.makeDecoder().decode(ActivationEvent.self, from: data)
            guard event.schemaVersion == WireFormat.schemaVersion else {
                throw WireRejection(reason: RejectionReason(
                    .unsupportedSchemaVersion, "event schema_version \(event.schemaVersion) is not supported",
                    field: "schema_version"))
            }
            return event
        } catch let error as WireRejection {
            throw error
        } catch {
            throw WireRejection(reason: DecodingFailure.reason(for: error))
        }
    }

    /// The usual case, parsed once: a message that passes the preflight, decodes and validates. Anything else is
    /// nil, and the caller takes the long way (preflight, probe for the identity and the schema version, decode for
    /// the reason), which decides exactly as if this had not been tried: every probe failure also fails the
    /// decode (a missing, null or non-integer `schema_version`, a message that is no object) or the validation (an
    /// unsupported version).
    private func decodedOnce<Value: Decodable>(
        _ data: Data, as type: Value.Type, validation: (Value) -> RejectionReason?
    ) -> Value? {
        guard JSONPreflight.check(data, limits: limits) == nil,
            let value = try? WireFormat.makeDecoder().decode(Value.self, from: data), validation(value) == nil
        else { return nil }
        return value
    }

    private func preflightAndProbe(_ data: Data) -> WireProbe {
        if let reason = JSONPreflight.check(data, limits: self.limits) { return WireProbe(failure: reason) }
        return WireProbe.read(data)
    }
}
