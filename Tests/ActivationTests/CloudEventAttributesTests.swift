import Foundation
import Testing

@testable import Activation

@Suite("CloudEvents attributes of lifecycle events")
struct CloudEventAttributesTests {
    @Test(arguments: ActivationEventKind.allCases)
    func everyKindHasAReverseDNSTypeAndTheEventsOwnIDAndTime(_ kind: ActivationEventKind) throws {
        let event = ActivationEvent(
            eventID: "req-1#3", kind: kind, requestID: "req-1", accountID: "acct-1", attempt: 1, state: .waitingCode,
            occurredAt: Date(timeIntervalSince1970: 1_796_000_000.25))
        let attributes = CloudEventAttributes(event, source: "urn:otppool:test")
        #expect(attributes.type == "com.otppool.activation.\(kind.rawValue)")
        #expect(attributes.id == "req-1#3")
        #expect(attributes.source == "urn:otppool:test")
        #expect(attributes.time == "2026-11-30T00:53:20.250Z")
        // ce_time is the very text of occurred_at in the JSON value, so a re-send can take it from there.
        let json = try #require(try JSONSerialization.jsonObject(with: WireFormat.encode(event)) as? [String: Any])
        #expect(json["occurred_at"] as? String == attributes.time)
        #expect(CloudEventAttributes(eventID: event.eventID, kind: kind.rawValue, source: "urn:otppool:test", time: attributes.time) == attributes)
    }

    @Test func theTypesAreDistinctPerKind() {
        let types = Set(ActivationEventKind.allCases.map { CloudEventAttributes.type(ofKind: $0.rawValue) })
        #expect(types.count == ActivationEventKind.allCases.count)
    }
}
