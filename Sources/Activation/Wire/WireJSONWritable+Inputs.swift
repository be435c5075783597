import Foundation

// What every activation starts from and is reminded by, written directly (see `WireJSONWritable`): the request
// (its column and its fingerprint at intake) and the follow-ups (one or more per step). Keys in UTF-8 order, nil
// optionals left out, as their `Codable` encodings.

extension ActivationRequest: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) throws {
        json.beginObject()
        json.member("account_id", accountID)
        json.key("countries")
        json.strings(countries)
        json.member("idempotency_key", idempotencyKey)
        json.key("max_price")
        maxPrice.write(to: &json)
        if metadata.isEmpty {
            json.key("metadata")
            json.beginObject()
            json.endObject()
        } else {
            try json.encodableMember("metadata", metadata)  // the encoder's key order
        }
        json.member("number_type", numberType)
        json.member("request_id", requestID)
        json.member("schema_version", schemaVersion)
        json.member("service", service)
        json.member("submitted_at", submittedAt)
        json.member("supplier_pool", supplierPool)
        json.endObject()
    }
}

extension FollowUp: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.member("anchor", anchor)
        json.member("attempt", attempt)
        json.member("due", due)
        json.member("kind", kind.rawValue)
        json.member("request_id", requestID)
        json.member("unstored_polls", unstoredPolls)
        json.endObject()
    }
}
