import Activation
import Foundation
import Kafka
import Testing

@testable import Pool

@Suite("Event headers: CloudEvents binary mode and the activation's trace")
struct EventHeadersTests {
    static let trace = TraceContext(
        traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", tracestate: "congo=t61rcWkgMzE")

    static func event(_ kind: ActivationEventKind) -> ActivationEvent {
        ActivationEvent(
            eventID: "req-1#2", kind: kind, requestID: "req-1", accountID: "acct-1", attempt: 1, state: .waitingCode,
            occurredAt: Date(timeIntervalSince1970: 1_796_000_000.123))
    }

    static func pairs(_ headers: [KafkaHeader]) -> [String] {
        headers.map { "\($0.key): \($0.stringValue ?? "<nil>")" }
    }

    @Test(arguments: ActivationEventKind.allCases)
    func everyKindCarriesTheFullSetInOrder(_ kind: ActivationEventKind) {
        let headers = EventHeaders.make(Self.event(kind), source: "urn:otppool:test", trace: Self.trace)
        #expect(Self.pairs(headers) == [
            "event-id: req-1#2",
            "kind: \(kind.rawValue)",
            "ce_specversion: 1.0",
            "ce_id: req-1#2",
            "ce_type: com.otppool.activation.\(kind.rawValue)",
            "ce_source: urn:otppool:test",
            "ce_time: 2026-11-30T00:53:20.123Z",
            "content-type: application/json",
            "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "tracestate: congo=t61rcWkgMzE",
        ])
    }

    @Test(arguments: ActivationEventKind.allCases)
    func anOutboxResendCarriesTheSameHeadersAsTheFirstSend(_ kind: ActivationEventKind) throws {
        let event = Self.event(kind)
        let stored = OutboxEvent(
            eventID: event.eventID, requestID: event.requestID, kind: kind.rawValue,
            payload: String(decoding: try WireFormat.encode(event), as: UTF8.self),
            traceparent: Self.trace?.traceparent, tracestate: Self.trace?.traceState)
        #expect(EventHeaders.make(stored, source: "urn:otppool:test") == EventHeaders.make(event, source: "urn:otppool:test", trace: Self.trace))
    }

    @Test func withoutATraceThereAreNoTraceHeaders() {
        let headers = EventHeaders.make(Self.event(.rejected), source: CloudEventAttributes.defaultSource, trace: nil)
        #expect(!headers.contains { $0.key == "traceparent" || $0.key == "tracestate" })
        #expect(headers.first { $0.key == "ce_source" }?.stringValue == "urn:otppool:activation-pool")
    }

    @Test func aFollowUpRecordCarriesItsTraceAndReadsItBack() throws {
        let trace = try #require(Self.trace)
        let followUp = ScheduledFollowUp(id: "f-1", requestID: "req-1", kind: "poll", dueAt: Date(epochMilliseconds: 1_000), trace: trace)
        let record = FollowUpRecord(followUp: followUp, enqueuedAt: 0, delay: 5_000).producerMessage(topic: "t.5s")
        #expect(record.headers.first { $0.key == "traceparent" }?.stringValue == trace.traceparent)
        let message = KafkaMessage(topic: "t.5s", partition: 0, offset: 0, key: record.key, value: record.value, headers: record.headers)
        #expect(FollowUpRecord(message: message)?.followUp.trace == trace)

        var invalid = message
        invalid.headers = invalid.headers.map { $0.key == "traceparent" ? KafkaHeader(key: "traceparent", string: "ff-nonsense") : $0 }
        let read = try #require(FollowUpRecord(message: invalid), "an invalid traceparent never makes a record unreadable")
        #expect(read.followUp.trace == nil)
    }
}
