import Activation
import Foundation
import Kafka
import Pool
import TestSupport
import Testing

@Suite("Dead letters, end to end (embedded cluster, PostgreSQL, simulator)")
struct DeadLetterWorkerTests {
    @Test("the worker records each dead letter in PostgreSQL; the topic's copy names the record")
    func workerRecordsDeadLetters() async throws {
        try await WorkerHarness.run { harness in
            try await harness.withWorker {
                try await harness.submitRaw(Data("{\"truncated".utf8), key: "junk-1")
                try await harness.submitRaw(Data(#"{"schema_version":1,"request_id":"req-neg","idempotency_key":"key-neg","account_id":"acct-x","service":"tg","countries":["usa"],"number_type":"any","max_price":{"amount_minor":-5,"currency":"USD"},"submitted_at":"2026-11-29T00:00:00Z","metadata":{}}"#.utf8), key: "req-neg")
                let copies = try await harness.records(of: harness.topics.deadLetters, atLeast: 2)
                try await waitUntil("2 dead letters on record", timeout: .seconds(30)) {
                    (try? await harness.store.deadLetters().count) == 2
                }
                for copy in copies {
                    let id = try #require(copy.header("dlq-id")?.stringValue.flatMap { Int64($0) })
                    let letter = try #require(try await harness.store.deadLetter(id: id))
                    #expect(letter.reasonCode == copy.header("dlq-reason-code")?.stringValue)
                    #expect(letter.value == copy.value)
                    #expect(letter.key == copy.key)
                    #expect(letter.source.topic == harness.topics.requests)
                    #expect(String(letter.source.offset) == copy.header("dlq-source-offset")?.stringValue)
                    #expect(letter.headers.allSatisfy { !$0.key.hasPrefix("dlq-") })
                }
                let priced = try #require(try await harness.store.deadLetters(DeadLetterFilter(requestID: "req-neg")).first)
                #expect(priced.reasonCode == "invalid_price")
                #expect(priced.identity == WireIdentity(requestID: "req-neg", idempotencyKey: "key-neg", accountID: "acct-x"))
                #expect(try await harness.store.deadLetterCounts() == ["malformed_json": 1, "invalid_price": 1])
            }
        }
    }

    @Test("replaying a valid request's dead letter twice buys once; both replays are on record")
    func replayIsIdempotent() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-replay", email: "replay@example.com", balanceMinor: 10_000))
            let request = WorkerHarness.request(account: "acct-replay")
            // As the worker records an input that failed for a reason of its own (processing_failed): the bytes are valid.
            let original = KafkaMessage(
                topic: harness.topics.requests, partition: 0, offset: 1_000_000, key: Data(request.requestID.utf8),
                value: try WireFormat.encode(request), headers: [KafkaHeader(key: "trace", string: "t-1")])
            let id = try await harness.store.recordDeadLetter(
                original, reason: RejectionReason("processing_failed", "the catalogue was reloading"),
                identity: WireDecoder().identity(of: original.value))
            let replayer = DeadLetterReplayer(store: harness.store, producer: harness.producer, topics: harness.topics, logger: PoolTestSupport.logger)

            let worker = try harness.startWorker()
            let first = try await replayer.replay(id: id, by: "alice", note: "catalogue fixed")
            _ = try await harness.events.waitFor(.completed, of: request.requestID)
            let second = try await replayer.replay(id: id, by: "bob")
            try await waitUntil("both replays processed", timeout: .seconds(30)) { worker.processed >= 2 }
            try await worker.stop()

            #expect(harness.simulator.audit().purchases == 1)
            let stored = try #require(try await harness.store.activation(requestID: request.requestID))
            #expect(stored.state == .completed)
            let account = try #require(try await harness.store.account(id: "acct-replay"))
            #expect(account.heldMinor == 0)
            #expect(account.balanceMinor == 10_000 - (stored.machine.currentAttempt?.number?.priceMinor ?? 0))

            let letter = try #require(try await harness.store.deadLetter(id: id))
            #expect(letter.replays.map(\.replayedBy) == ["alice", "bob"])
            #expect(letter.replays.map(\.note) == ["catalogue fixed", nil])
            #expect(letter.replays.map(\.target) == [first.target, second.target])
            let replayed = try await harness.records(of: harness.topics.requests, atLeast: 2)
            #expect(replayed.map(\.offset).sorted() == [first.target.offset, second.target.offset].sorted())
            for record in replayed {
                #expect(record.value == original.value)
                #expect(record.keyString == request.requestID)
                #expect(record.header("trace")?.stringValue == "t-1")
                #expect(record.header("otp-replay-of")?.stringValue == String(id))
            }
            #expect(Set(replayed.compactMap { $0.header("otp-replayed-by")?.stringValue }) == ["alice", "bob"])
        }
    }

    @Test("a replay of an unknown ID, of another deployment's topic, or by nobody is refused; a filtered one passes over them")
    func replayRefusals() async throws {
        try await WorkerHarness.run { harness in
            let replayer = DeadLetterReplayer(store: harness.store, producer: harness.producer, topics: harness.topics, logger: PoolTestSupport.logger)
            let foreign = try await harness.store.recordDeadLetter(
                KafkaMessage(topic: "other.activation.requests", partition: 0, offset: 1, value: Data("{}".utf8)),
                reason: RejectionReason(.malformedJSON, "x"), identity: WireIdentity())
            let local = try await harness.store.recordDeadLetter(
                KafkaMessage(topic: harness.topics.requests, partition: 0, offset: 1, value: Data("{}".utf8)),
                reason: RejectionReason(.malformedJSON, "x"), identity: WireIdentity())
            for (id, who, code) in [(foreign + local + 1_000, "alice", PoolStoreError.Code.notFound), (foreign, "alice", .notReplayable), (local, "  ", .notReplayable)] {
                let error = await #expect(throws: PoolStoreError.self) { _ = try await replayer.replay(id: id, by: who) }
                #expect(error?.code == code)
            }
            #expect(try await harness.store.deadLetters(DeadLetterFilter(replayed: true)).isEmpty)
            // A filtered replay passes over what another deployment's topics dead-lettered.
            let replays = try await replayer.replay(matching: DeadLetterFilter(reasonCode: "malformed_json"), by: "carol")
            #expect(replays.map(\.deadLetterID) == [local])
            #expect(replays.first?.replayedBy == "carol")
        }
    }
}
