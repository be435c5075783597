import Activation
import Foundation
import Kafka
import TestSupport
import Testing

@testable import Pool

@Suite("Event headers and trace context, end to end (embedded cluster, PostgreSQL, simulator)")
struct TraceHeadersTests {
    static let incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    /// The value of header `name`, nil when absent.
    static func header(_ message: KafkaMessage, _ name: String) -> String? {
        message.header(name)?.stringValue
    }

    @Test("a request's traceparent reaches its events, follow-ups, command answers and supplier calls")
    func theRequestsTraceGoesEverywhere() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-trace", email: "trace@example.com", balanceMinor: 10_000))
            // Through the tiers, so that the poll's record shows its headers.
            try await harness.withWorker(localFollowUps: .zero) {
                let request = WorkerHarness.request(account: "acct-trace")
                try await harness.submit(request, headers: [
                    KafkaHeader(key: "traceparent", string: Self.incoming), KafkaHeader(key: "tracestate", string: "congo=t61rcWkgMzE"),
                ])
                _ = try await harness.events.waitFor(.completed, of: request.requestID)
                // A command after the end is answered (command_rejected) in the activation's trace, though it has none.
                try await harness.command(WorkerCommandTests.command(.finish, request.requestID))
                let events = try await harness.events.waitFor(.commandRejected, of: request.requestID)

                let stored = try #require(try await harness.store.activation(requestID: request.requestID))
                let trace = try #require(stored.trace)
                #expect(trace.traceID == "0af7651916cd43dd8448eb211c80319c", "the request's trace continues")
                #expect(trace.spanID != "b7ad6b7169203331", "as a span of the pool's own")
                #expect(trace.traceState == "congo=t61rcWkgMzE")

                let records = try await harness.records(of: harness.topics.events, atLeast: harness.events.all(request.requestID).count)
                    .filter { $0.keyString == request.requestID }
                #expect(Set(records.compactMap { Self.header($0, "event-id") }) == Set(events.map(\.eventID)))
                for record in records {
                    let event = try WireDecoder().decodeEvent(record.value)
                    let json = try #require(try JSONSerialization.jsonObject(with: record.value) as? [String: Any])
                    #expect(Self.header(record, "traceparent") == trace.traceparent)
                    #expect(Self.header(record, "tracestate") == "congo=t61rcWkgMzE")
                    #expect(Self.header(record, "ce_specversion") == "1.0")
                    #expect(Self.header(record, "ce_id") == event.eventID)
                    #expect(Self.header(record, "event-id") == event.eventID)
                    #expect(Self.header(record, "kind") == event.kind.rawValue)
                    #expect(Self.header(record, "ce_type") == "com.otppool.activation.\(event.kind.rawValue)")
                    #expect(Self.header(record, "ce_source") == "urn:otppool:activation-pool")
                    #expect(Self.header(record, "ce_time") == json["occurred_at"] as? String)
                    #expect(Self.header(record, "content-type") == "application/json")
                }
                #expect(Set(records.compactMap { Self.header($0, "kind") }).isSuperset(of: ["number_allocated", "completed", "command_rejected"]))

                // Its polls went through the 1 s tier with its trace.
                let followUps = try await harness.records(of: harness.tiers.topics[0], atLeast: 1)
                    .filter { $0.keyString == request.requestID }
                #expect(!followUps.isEmpty)
                #expect(followUps.allSatisfy { Self.header($0, "traceparent") == trace.traceparent })

                // Each supplier call is a span of its own in the same trace.
                let calls = harness.simulator.traceparents(of: trace.traceID)
                #expect(calls.count >= 2, "the purchase and at least one status poll")
                let spans = try calls.map { try #require(TraceContext(traceparent: $0)).spanID }
                #expect(Set(spans).count == calls.count, "a fresh span ID per call")
                #expect(!spans.contains(trace.spanID))
            }
        }
    }

    @Test("a request without a traceparent, or with an invalid one, gets a new trace and is processed as usual")
    func missingOrInvalidTraceparentStartsANewTrace() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-notrace", email: "n@example.com", balanceMinor: 20_000))
            try await harness.withWorker {
                let plain = WorkerHarness.request(account: "acct-notrace")
                let invalid = WorkerHarness.request(account: "acct-notrace")
                let forbidden = "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                try await harness.submit(plain)
                try await harness.submit(invalid, headers: [KafkaHeader(key: "traceparent", string: forbidden)])
                for request in [plain, invalid] {
                    _ = try await harness.events.waitFor(.completed, of: request.requestID)
                }
                let records = try await harness.records(
                    of: harness.topics.events,
                    atLeast: harness.events.all(plain.requestID).count + harness.events.all(invalid.requestID).count)
                var traceIDs: [String] = []
                for request in [plain, invalid] {
                    let trace = try #require(try await harness.store.activation(requestID: request.requestID)?.trace)
                    #expect(trace.traceID != "0af7651916cd43dd8448eb211c80319c")
                    let sent = records.filter { $0.keyString == request.requestID }.compactMap { Self.header($0, "traceparent") }
                    #expect(!sent.isEmpty && sent.allSatisfy { $0 == trace.traceparent })
                    traceIDs.append(trace.traceID)
                }
                #expect(Set(traceIDs).count == 2, "one trace per activation")
            }
        }
    }

    @Test("an event re-sent from the outbox carries exactly the headers and value of its first send")
    func outboxResendHasIdenticalHeaders() async throws {
        try await WorkerHarness.run { harness in
            let store = harness.store
            try await store.upsertAccount(StoreFixtures.account(balanceMinor: 10_000))
            let (machine, actions) = try StoreFixtures.confirmed()
            let trace = TraceContext.continuing(TraceContext(traceparent: Self.incoming, tracestate: "rojo=00f067aa0ba902b7"))
            guard case .created(let created) = try await store.intake(machine, actions: actions, trace: trace) else {
                throw StoreTestFailure("expected the intake to create the activation")
            }
            #expect(created.trace == trace)
            #expect(try await store.activation(requestID: created.requestID)?.trace == trace, "stored with the activation")
            let bought = try await store.step(created) { try $0.purchaseSucceeded(StoreFixtures.number(boughtAt: 1), at: StoreFixtures.at(1)) }
            #expect(bought.trace == trace, "a step's result keeps it")
            let event = try #require(bought.machine.lastEvent)

            let publisher = EventPublisher(producer: harness.producer, topics: harness.topics, source: "urn:otppool:test")
            try await publisher.publish([event], trace: bought.trace)
            // The relay finds the row once its grace passed (here: at once).
            try await store.pool.query("UPDATE event_outbox SET due_at = now()")
            let due = try await store.claimDueOutboxEvents(topic: nil)
            #expect(due.map(\.eventID) == [event.eventID])
            try await publisher.publish(due)

            let records = try await harness.records(of: harness.topics.events, atLeast: 2)
            #expect(records.count == 2)
            let (first, resent) = (try #require(records.first), try #require(records.last))
            #expect(resent.headers == first.headers)
            #expect(Data(resent.value) == Data(first.value))
            #expect(Self.header(resent, "traceparent") == trace.traceparent)
            #expect(Self.header(resent, "tracestate") == "rojo=00f067aa0ba902b7")
            #expect(Self.header(resent, "ce_time") == RFC3339.format(event.occurredAt))
        }
    }
}
