import Foundation

// The events every step publishes and the timeline entries it appends, written directly (see
// `WireJSONWritable`). Keys in UTF-8 order, nil optionals left out, as their `Codable` encodings.

extension TimelineEntry: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) throws {
        json.beginObject()
        try json.member("amount", amount)
        json.member("at", at)
        json.member("attempt", attempt)
        json.member("detail", detail)
        json.member("kind", kind.rawValue)
        json.member("reason_code", reasonCode)
        json.member("state", state.rawValue)
        json.member("supplier_reply", supplierReply)
        json.endObject()
    }
}

extension TimelineSummary: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) throws {
        json.beginObject()
        json.key("attempts")
        try json.array(attempts)
        json.key("entries")
        try json.array(entries)
        json.key("ledger")
        ledger.write(to: &json)
        json.member("omitted_entries", omittedEntries)
        json.endObject()
    }
}

extension ActivationEvent: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) throws {
        json.beginObject()
        json.member("account_id", accountID)
        json.member("attempt", attempt)
        json.member("cancellable_at", cancellableAt)
        json.member("code", code)
        json.member("command_id", commandID)
        json.member("country", country)
        json.member("currency", currency)
        json.member("event_id", eventID)
        json.member("expires_at", expiresAt)
        json.member("kind", kind.rawValue)
        try json.member("next_route", nextRoute)
        json.member("number_type", numberType)
        json.member("occurred_at", occurredAt)
        json.member("phone_number", phoneNumber)
        json.member("price_minor", priceMinor)
        json.member("reason", reason)
        json.member("reason_code", reasonCode)
        json.member("request_id", requestID)
        json.member("retry_at", retryAt)
        json.member("schema_version", schemaVersion)
        json.member("service", service)
        json.member("state", state?.rawValue)
        json.member("supplier", supplier)
        json.member("supplier_activation_id", supplierActivationID)
        try json.member("timeline", timeline)
        json.endObject()
    }
}
