import Foundation

// The snapshot every step stores (`ActivationStateMachine.Progress`) and what it holds, written directly (see
// `WireJSONWritable`). Keys in UTF-8 order, nil optionals left out, as their `Codable` encodings.

extension Money: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.member("amount_minor", amountMinor)
        json.member("currency", currency)
        json.endObject()
    }
}

extension HoldLedger: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.member("currency", currency)
        json.member("debited_minor", debitedMinor)
        json.member("held_minor", heldMinor)
        json.member("released_minor", releasedMinor)
        json.endObject()
    }
}

extension AttemptRoute: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.member("country", country)
        json.member("number_type", numberType)
        json.member("service", service)
        json.member("supplier", supplier)
        json.endObject()
    }
}

extension AttemptSpec: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.member("number", number)
        json.member("reference", reference)
        json.key("route")
        route.write(to: &json)
        json.endObject()
    }
}

extension AllocatedNumber: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.member("cancellable_at", cancellableAt)
        json.member("currency", currency)
        json.member("expires_at", expiresAt)
        json.member("phone_number", phoneNumber)
        json.member("price_minor", priceMinor)
        json.member("purchased_at", purchasedAt)
        json.member("supplier_activation_id", supplierActivationID)
        json.member("supplier_reply", supplierReply)
        json.endObject()
    }
}

extension AttemptRecord: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) throws {
        json.beginObject()
        json.member("cancel_denials", cancelDenials)
        json.member("cancel_requested_at", cancelRequestedAt)
        json.member("cancelled_at", cancelledAt)
        json.member("code_received_at", codeReceivedAt)
        json.member("ended_at", endedAt)
        try json.encodableMember("failure", failure)
        json.member("last_supplier_reply", lastSupplierReply)
        json.member("masked_code", maskedCode)
        try json.member("number", number)
        json.member("polls", polls)
        json.key("spec")
        spec.write(to: &json)
        json.member("started_at", startedAt)
        json.member("waiting_deadline", waitingDeadline)
        json.endObject()
    }
}

extension RetryContext: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) {
        json.beginObject()
        json.key("number_types")
        json.strings(numberTypes)
        json.key("suppliers")
        json.strings(suppliers)
        json.endObject()
    }
}

extension ActivationStateMachine.Flags: WireJSONWritable {
    func write(to json: inout WireJSONWriter) throws {
        json.beginObject()
        try json.encodableMember("ambiguousKind", ambiguousKind)
        json.member("anotherCodeCommandID", anotherCodeCommandID)
        json.member("awaitingAnotherCode", awaitingAnotherCode)
        json.member("cancelAbandoned", cancelAbandoned)
        json.member("cancelCommandID", cancelCommandID)
        json.member("cancelInFlight", cancelInFlight)
        json.member("clientCancelled", clientCancelled)
        json.member("failedAsks", failedAsks)
        json.member("finishFailures", finishFailures)
        json.member("finishInFlight", finishInFlight)
        json.member("finishRetryAt", finishRetryAt)
        json.member("nextPollAt", nextPollAt)
        json.member("pendingPurchaseAt", pendingPurchaseAt)
        json.member("reconcileAt", reconcileAt)
        json.member("reconcileFrom", reconcileFrom)
        json.member("reconcileUntil", reconcileUntil)
        json.member("reconciling", reconciling)
        try json.encodableMember("refusedNumber", refusedNumber)
        json.member("scheduledCancelAt", scheduledCancelAt)
        json.endObject()
    }
}

extension ActivationStateMachine.Progress: WireJSONWritable {
    public func write(to json: inout WireJSONWriter) throws {
        json.beginObject()
        json.key("attempts")
        try json.array(attempts)
        try json.member("context", context)
        json.member("eventSequence", eventSequence)
        json.key("flags")
        try flags.write(to: &json)
        json.key("handledCommands")
        json.strings(handledCommands)
        try json.member("lastEvent", lastEvent)
        json.member("lastEventSummaryThrough", lastEventSummaryThrough)
        json.key("ledger")
        ledger.write(to: &json)
        json.member("startedAt", startedAt)
        json.member("state", state.rawValue)
        // The count only: the entries are rows (see `Timeline.encode(to:)`).
        json.key("timeline")
        json.beginObject()
        json.member("count", timeline.count)
        json.endObject()
        json.endObject()
    }
}
