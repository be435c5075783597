import Activation
import Foundation
import Kafka
import Postgres
import Testing

@testable import Pool

@Suite("ActivationStore: dead letters and their replays")
struct StoreDeadLetterTests {
    static func message(
        offset: Int64, partition: Int32 = 0, topic: String = "otp.activation.requests", value: Data = Data("{\"truncated".utf8),
        key: String? = "junk", headers: [KafkaHeader] = []
    ) -> KafkaMessage {
        KafkaMessage(
            topic: topic, partition: partition, offset: offset, key: key.map { Data($0.utf8) }, value: value, headers: headers,
            timestamp: Date(timeIntervalSince1970: 1_777_600_000))
    }

    static let malformed = RejectionReason(.malformedJSON, "the message is not JSON")

    @Test("a redelivered input is recorded once, with its bytes, headers and identity as they came")
    func recordedOnceDespiteRedelivery() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let value = Data([0x7B, 0xFF, 0x00, 0x22])
            let headers = [KafkaHeader(key: "trace", string: "t-1"), KafkaHeader(key: "empty", value: nil), KafkaHeader(key: "bin", value: Data([0, 0xFE]))]
            let message = Self.message(offset: 41, partition: 2, value: value, headers: headers)
            let identity = WireIdentity(requestID: "req-9", idempotencyKey: "key-9", accountID: "acct-9")
            let first = try await store.recordDeadLetter(message, reason: Self.malformed, identity: identity)
            let again = try await store.recordDeadLetter(
                message, reason: RejectionReason("processing_failed", "later"), identity: WireIdentity())
            #expect(again == first)
            #expect(try await store.deadLetters().map(\.id) == [first])

            let letter = try #require(try await store.deadLetter(id: first))
            #expect(letter.source == DeadLetterSource(topic: "otp.activation.requests", partition: 2, offset: 41))
            #expect(letter.value == value)
            #expect(letter.keyString == "junk")
            #expect(letter.headers == headers)
            #expect(letter.reasonCode == "malformed_json")
            #expect(letter.reason == "the message is not JSON")
            #expect(letter.identity == identity)
            #expect(letter.producedAt == Date(timeIntervalSince1970: 1_777_600_000))
            #expect(letter.replays.isEmpty)
            // Another offset of the same partition is another dead letter.
            #expect(try await store.recordDeadLetter(Self.message(offset: 42, partition: 2), reason: Self.malformed, identity: WireIdentity()) != first)
            #expect(try await store.deadLetter(id: first + 1_000) == nil)
        }
    }

    @Test("filters by reason, account, request, time and replay; newest first; counts by reason")
    func filtersAndCounts() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let now = Date()
            func record(_ offset: Int64, _ reason: RejectionReason, account: String?, request: String?, hoursAgo: Double) async throws -> Int64 {
                let id = try await store.recordDeadLetter(
                    Self.message(offset: offset), reason: reason, identity: WireIdentity(requestID: request, accountID: account))
                try await store.pool.query(
                    "UPDATE dead_letters SET dead_lettered_at = $1 WHERE id = $2", [now.addingTimeInterval(-hoursAgo * 3600), id])
                return id
            }
            let failed = RejectionReason("processing_failed", "boom")
            let old = try await record(1, Self.malformed, account: "acct-a", request: nil, hoursAgo: 48)
            let middle = try await record(2, failed, account: "acct-b", request: "req-2", hoursAgo: 5)
            let recent = try await record(3, Self.malformed, account: "acct-a", request: "req-3", hoursAgo: 1)

            #expect(try await store.deadLetters().map(\.id) == [recent, middle, old])
            #expect(try await store.deadLetters(DeadLetterFilter(limit: 2)).map(\.id) == [recent, middle])
            #expect(try await store.deadLetters(DeadLetterFilter(reasonCode: "malformed_json")).map(\.id) == [recent, old])
            #expect(try await store.deadLetters(DeadLetterFilter(accountID: "acct-a")).map(\.id) == [recent, old])
            #expect(try await store.deadLetters(DeadLetterFilter(requestID: "req-2")).map(\.id) == [middle])
            #expect(try await store.deadLetters(DeadLetterFilter(since: now.addingTimeInterval(-6 * 3600))).map(\.id) == [recent, middle])
            #expect(try await store.deadLetters(DeadLetterFilter(until: now.addingTimeInterval(-2 * 3600))).map(\.id) == [middle, old])
            #expect(try await store.deadLetters(DeadLetterFilter(reasonCode: "no_such_code")).isEmpty)

            let summary = try #require(try await store.deadLetters(DeadLetterFilter(requestID: "req-3")).first)
            #expect(summary.reasonCode == "malformed_json")
            #expect(summary.identity.accountID == "acct-a")
            #expect(summary.valueBytes == Data("{\"truncated".utf8).count)
            #expect(summary.replays == 0 && summary.lastReplayedAt == nil)

            #expect(try await store.deadLetterCounts() == ["malformed_json": 2, "processing_failed": 1])
            #expect(try await store.deadLetterCounts(DeadLetterFilter(since: now.addingTimeInterval(-6 * 3600), limit: 1))
                == ["malformed_json": 1, "processing_failed": 1])

            _ = try await store.recordReplay(of: middle, by: "alice", note: nil, target: DeadLetterSource(topic: "t", partition: 0, offset: 7))
            #expect(try await store.deadLetters(DeadLetterFilter(replayed: true)).map(\.id) == [middle])
            #expect(try await store.deadLetters(DeadLetterFilter(replayed: false)).map(\.id) == [recent, old])
            #expect(try await store.deadLetterCounts(DeadLetterFilter(replayed: false)) == ["malformed_json": 2])
        }
    }

    @Test("a replay is recorded with who, when, the note and where it landed")
    func replayRecordedWithWhoAndWhen() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            let id = try await store.recordDeadLetter(Self.message(offset: 5), reason: Self.malformed, identity: WireIdentity())
            let before = Date().addingTimeInterval(-5)
            let first = try await store.recordReplay(
                of: id, by: "alice", note: "producer fixed", target: DeadLetterSource(topic: "otp.activation.requests", partition: 1, offset: 100))
            let second = try await store.recordReplay(
                of: id, by: "bob", note: nil, target: DeadLetterSource(topic: "otp.activation.requests", partition: 1, offset: 101))

            let letter = try #require(try await store.deadLetter(id: id))
            #expect(letter.replays == [first, second])
            #expect(first.deadLetterID == id && first.replayedBy == "alice" && first.note == "producer fixed")
            #expect(first.replayedAt > before && first.replayedAt <= Date().addingTimeInterval(5))
            #expect(second.target == DeadLetterSource(topic: "otp.activation.requests", partition: 1, offset: 101))
            let summary = try #require(try await store.deadLetters().first)
            #expect(summary.replays == 2)
            #expect(summary.lastReplayedAt == second.replayedAt)
            await #expect(throws: PoolStoreError.self) {
                _ = try await store.recordReplay(of: id + 1_000, by: "alice", note: nil, target: DeadLetterSource(topic: "t", partition: 0, offset: 0))
            }
        }
    }

    @Test("a replay carries the original headers without dlq-* or an earlier replay's, plus its own")
    func replayHeaders() throws {
        let letter = DeadLetter(
            id: 12, source: DeadLetterSource(topic: "t", partition: 0, offset: 0), key: nil, value: Data(),
            headers: [
                KafkaHeader(key: "trace", string: "t-1"), KafkaHeader(key: "dlq-reason-code", string: "x"),
                KafkaHeader(key: "otp-replay-of", string: "3"), KafkaHeader(key: "otp-replayed-by", string: "eve"),
            ],
            reasonCode: "malformed_json", reason: "", identity: WireIdentity(), producedAt: nil, deadLetteredAt: Date(), replays: [])
        #expect(DeadLetterHeaders.forReplay(of: letter, by: "alice") == [
            KafkaHeader(key: "trace", string: "t-1"), KafkaHeader(key: "otp-replay-of", string: "12"),
            KafkaHeader(key: "otp-replayed-by", string: "alice"),
        ])
    }

    @Test("listing JSON has every documented key, null when unknown")
    func summaryJSONKeys() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            _ = try await store.recordDeadLetter(Self.message(offset: 1), reason: Self.malformed, identity: WireIdentity())
            let summary = try #require(try await store.deadLetters().first)
            let object = try #require(
                try JSONSerialization.jsonObject(with: WireFormat.makeEncoder().encode(summary)) as? [String: Any])
            #expect(Set(object.keys) == [
                "id", "reason_code", "reason", "source", "request_id", "idempotency_key", "account_id", "dead_lettered_at",
                "value_bytes", "replays", "last_replayed_at",
            ])
            #expect(object["request_id"] is NSNull)
            #expect(Set((object["source"] as? [String: Any]).map { Array($0.keys) } ?? []) == ["topic", "partition", "offset"])
        }
    }
}
