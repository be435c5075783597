import Foundation
import Testing

@testable import Activation

/// Every `WireJSONWritable` conformance writes exactly what Foundation's wire encoder writes from its `Codable`
/// encoding: with every optional set, with none, and along a whole lifecycle with a retry.
@Suite("Wire JSON: types that write themselves")
struct WireJSONWriterTests {
    /// The writer's bytes and Foundation's, as text.
    func both(_ value: some WireJSONWritable) throws -> (written: String, foundation: String) {
        var json = WireJSONWriter()
        try value.write(to: &json)
        return (String(decoding: json.bytes, as: UTF8.self), String(decoding: try WireFormat.makeEncoder().encode(value), as: UTF8.self))
    }

    func expectSame(_ value: some WireJSONWritable, _ comment: Comment? = nil) throws {
        let (written, foundation) = try both(value)
        #expect(written == foundation, comment)
        let encoded = String(decoding: try WireJSONEncoder().encode(value), as: UTF8.self)
        #expect(encoded == foundation, "the encoder takes the writing")
    }

    @Test func everyOptionalSet() throws {
        let at = Fixtures.at(12.345)
        var number = Fixtures.number(boughtAt: 1)
        number.currency = "USD"
        number.supplierReply = "ACCESS_NUMBER:1:+1 \"quoted\""
        var record = AttemptRecord(
            spec: AttemptSpec(number: 2, route: AttemptRoute(supplier: "s", service: "tg", country: "usa", numberType: "any"), requestID: "r"),
            startedAt: at)
        record.number = number
        record.waitingDeadline = at
        record.codeReceivedAt = at
        record.maskedCode = "12****"
        record.polls = 7
        record.cancelRequestedAt = at
        record.cancelDenials = 2
        record.cancelledAt = at
        record.endedAt = at
        record.failure = .purchaseFailed(.rateLimited(retryAfterSeconds: 1.5))
        record.lastSupplierReply = "STATUS_WAIT_CODE"
        try expectSame(record)
        record.failure = .endedBySupplier("banned")
        try expectSame(record)

        let entry = TimelineEntry(
            at: at, kind: .retryDecided, attempt: 3, state: .allocating, detail: "next: \\ ünïcödé \n",
            supplierReply: "NO_NUMBERS", reasonCode: "no_inventory", amount: Money(amountMinor: -5, currency: "EUR"))
        try expectSame(entry)

        var event = ActivationEvent(
            eventID: "r#9", kind: .retrying, requestID: "r", accountID: "a", attempt: 2, state: .allocating, occurredAt: at)
        event.supplier = "s"
        event.service = "tg"
        event.country = "usa"
        event.numberType = "any"
        event.phoneNumber = "+1555"
        event.supplierActivationID = "9001"
        event.expiresAt = at
        event.cancellableAt = at
        event.code = "123456"
        event.priceMinor = 1000
        event.currency = "USD"
        event.reasonCode = "no_inventory"
        event.reason = "none left \"here\""
        event.commandID = "c-1"
        event.nextRoute = AttemptRoute(supplier: "t", service: "tg", country: "uk", numberType: "mobile")
        event.retryAt = at
        var ledger = HoldLedger(currency: "USD")
        ledger.heldMinor = 2500
        ledger.debitedMinor = 1000
        ledger.releasedMinor = 1500
        event.timeline = TimelineSummary(entries: [entry, entry], omittedEntries: 3, attempts: [record], ledger: ledger)
        try expectSame(event)

        var flags = ActivationStateMachine.Flags()
        flags.nextPollAt = at
        flags.pendingPurchaseAt = at
        flags.reconciling = true
        flags.ambiguousKind = .timeout
        flags.reconcileAt = at
        flags.reconcileUntil = at
        flags.reconcileFrom = at
        flags.failedAsks = 4
        flags.refusedNumber = .banned(until: "tomorrow")
        flags.cancelInFlight = true
        flags.scheduledCancelAt = at
        flags.cancelAbandoned = true
        flags.clientCancelled = true
        flags.cancelCommandID = "c-2"
        flags.finishInFlight = true
        flags.finishFailures = 1
        flags.finishRetryAt = at
        flags.anotherCodeCommandID = "c-3"
        flags.awaitingAnotherCode = true
        try expectSame(flags)
        try expectSame(Fixtures.context(["a", "b \"c\""], types: ["any", "mobile"]))
    }

    @Test func noOptionalSet() throws {
        let at = Fixtures.at(0)
        try expectSame(AttemptRecord(
            spec: AttemptSpec(number: 1, route: AttemptRoute(supplier: "", service: "", country: "", numberType: ""), requestID: ""),
            startedAt: at))
        try expectSame(TimelineEntry(at: at, kind: .intakeConfirmed, attempt: 0, state: .received, detail: ""))
        try expectSame(ActivationEvent(eventID: "", kind: .numberAllocated, requestID: "", accountID: nil, attempt: 0, state: nil, occurredAt: at))
        try expectSame(ActivationStateMachine.Flags())
        try expectSame(ActivationStateMachine(request: Fixtures.request(), at: at).progress)
    }

    @Test func requestsAndFollowUps() throws {
        var request = Fixtures.request()
        try expectSame(request)
        request.supplierPool = "fallback \"pool\""
        request.metadata = ["zeta": "1", "alpha": "ü\n", "Émile": "x", "b": ""]
        request.countries = ["usa", "england"]
        try expectSame(request, "metadata keys in the encoder's order")

        var followUp = FollowUp(requestID: "r-1", kind: .waitingWindow, attempt: 2, due: Fixtures.at(300.5))
        try expectSame(followUp)
        followUp.kind = .poll
        followUp.anchor = Fixtures.at(5)
        followUp.unstoredPolls = 3
        try expectSame(followUp)
        try expectSame(FollowUp(requestID: "", kind: .reconcile, attempt: 0, due: Date(timeIntervalSince1970: -1e12)), "a year before 0")
    }

    @Test func aLifecycleWithARetry() throws {
        var machine = ActivationStateMachine(request: Fixtures.request(), at: Fixtures.at(0))
        var values: [any WireJSONWritable] = [machine.progress]
        func step(_ actions: [ActivationAction]) {
            values.append(machine.progress)
            values += actions.events.map { $0 as any WireJSONWritable }
            values += machine.timeline.entries.map { $0 as any WireJSONWritable }
        }
        step(try machine.intakeConfirmed(context: Fixtures.context(), at: Fixtures.at(0)))
        step(try machine.purchaseFailed(SupplierFailure(.noInventory, message: "NO_NUMBERS", reply: "NO_NUMBERS"), at: Fixtures.at(1)))
        step(try machine.purchaseSucceeded(Fixtures.number(id: "9002", boughtAt: 2), at: Fixtures.at(2)))
        step(try machine.statusReceived(.waiting, at: Fixtures.at(6)))
        step(try machine.statusReceived(.code("123456", text: "Your code 123456", reply: "STATUS_OK:123456"), at: Fixtures.at(20)))
        step(try machine.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: Fixtures.at(21)))
        #expect(machine.state == .completed)
        #expect(values.count > 20)
        for value in values {
            try expectSame(value)
        }
    }
}
