import Activation
import Foundation
import Kafka
import Testing

@testable import Pool
@testable import otppool

@Suite("The benchmark's event reader")
struct E2EObserverTests {
    @Test("an event's key and CloudEvents headers say what its JSON value says", arguments: ActivationEventKind.allCases)
    func headersAgreeWithTheValue(_ kind: ActivationEventKind) throws {
        let event = ActivationEvent(
            eventID: "req-7#3", kind: kind, requestID: "req-7", accountID: "acct-1", attempt: 1, state: .waitingCode,
            occurredAt: Date(timeIntervalSince1970: 1_796_000_000.123))
        let value = try WireFormat.encode(event)
        let message = KafkaMessage(
            topic: "otp.activation.events", partition: 0, offset: 0, key: Data("req-7".utf8), value: value,
            headers: EventHeaders.make(event, source: "urn:otppool:test", trace: nil))
        let decoded = try WireDecoder().decodeEvent(value)
        let attributes = try #require(E2EObserver.attributes(of: message))
        #expect(attributes.requestID == decoded.requestID)
        #expect(attributes.kind == decoded.kind)
        #expect(attributes.occurredAt == decoded.occurredAt)
    }

    @Test("a record without the headers is left to its value")
    func noHeaders() {
        let message = KafkaMessage(topic: "otp.activation.events", partition: 0, offset: 0, key: Data("req-7".utf8), value: Data("{}".utf8))
        #expect(E2EObserver.attributes(of: message) == nil)
    }
}
