import Activation
import Foundation
import Kafka
import Pool
import SupplierSimulator
import TestSupport
import Testing

@Suite("Activation worker, end to end (embedded cluster, PostgreSQL, simulator)")
struct ActivationWorkerTests {
    @Test("request → number_allocated → code_received → completed; one purchase; balance debited once")
    func happyPath() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-happy", email: "happy@example.com", balanceMinor: 10_000))
            try await harness.withWorker {
                let request = WorkerHarness.request(account: "acct-happy")
                try await harness.submit(request)
                let events = try await harness.events.waitFor(.completed, of: request.requestID)

                #expect(events.map(\.kind) == [.numberAllocated, .codeReceived, .completed])
                #expect(events.first?.phoneNumber?.isEmpty == false)
                let copies = Dictionary(grouping: harness.events.all(request.requestID), by: \.eventID)
                #expect(copies.values.allSatisfy { Set($0.map(\.kind)).count == 1 }, "a re-sent event is the same event")
                let stored = try #require(try await harness.store.activation(requestID: request.requestID))
                #expect(stored.state == .completed)
                // Decided on a row whose snapshot only counts its timeline: the summary still has every entry.
                let summary = try #require(events.last?.timeline)
                #expect(summary.omittedEntries == 0)
                #expect(summary.entries == (try await harness.store.timeline(requestID: request.requestID)))
                #expect(summary.entries.first?.kind == .requestReceived)
                let reference = harness.simulator.reference("\(request.requestID).1")
                #expect(reference.activationIDs.count == 1)
                let price = try #require(stored.machine.currentAttempt?.number?.priceMinor)
                let account = try #require(try await harness.store.account(id: "acct-happy"))
                #expect(account.balanceMinor == 10_000 - price)
                #expect(account.heldMinor == 0)
            }
        }
    }

    @Test("polls answered 'still waiting' store nothing; the code's step counts them all")
    func waitingPollsStoreNothing() async throws {
        // The code after 6 s, polls every second: about six polls, all within the horizon (half of 5 × the 4 s
        // stall timeout past the first stored poll), so none is stored on its own.
        try await WorkerHarness.run(simulator: WorkerHarness.simulatorConfiguration(smsAfter: 360)) { harness in
            try await harness.store.upsertAccount(Account(id: "acct-polls", email: "polls@example.com", balanceMinor: 10_000))
            try await harness.withWorker {
                let request = WorkerHarness.request(account: "acct-polls")
                try await harness.submit(request)
                let events = try await harness.events.waitFor(.completed, of: request.requestID)
                #expect(events.map(\.kind) == [.numberAllocated, .codeReceived, .completed])
                let stored = try #require(try await harness.store.activation(requestID: request.requestID))
                let polls = try #require(stored.machine.currentAttempt?.polls)
                #expect(polls >= 5, "the code came after about six polls; \(polls) counted")
                // Intake, number, code, finish: 4 versions. Stored one by one, the polls alone would have made 5 more.
                #expect(stored.version <= 5, "version \(stored.version) after \(polls) polls")
            }
        }
    }

    @Test("a duplicate request buys once; the same key with another body is rejected")
    func duplicates() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-dup", email: "dup@example.com", balanceMinor: 50_000))
            try await harness.withWorker {
                let request = WorkerHarness.request(account: "acct-dup")
                try await harness.submit(request)
                try await harness.submit(request)
                _ = try await harness.events.waitFor(.completed, of: request.requestID)

                var other = WorkerHarness.request(account: "acct-dup", countries: ["russia"], key: request.idempotencyKey)
                other.requestID = uniqueName("other")
                try await harness.submit(other)
                let rejected = try await harness.events.waitFor(.rejected, of: other.requestID)
                #expect(rejected.last?.reasonCode == "duplicate_key_different_body")
                #expect(harness.simulator.reference("\(request.requestID).1").activationIDs.count == 1)
                #expect(harness.simulator.audit().purchases == 1)
            }
        }
    }

    @Test("malformed input goes to the dead-letter topic; a readable request ID also gets a rejected event")
    func badInput() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-bad", email: "bad@example.com", balanceMinor: 10_000))
            try await harness.withWorker {
                try await harness.submitRaw(Data("{\"truncated".utf8), key: "junk-1")
                try await harness.submitRaw(Data(#"{"schema_version":1,"request_id":"req-neg","idempotency_key":"k","account_id":"acct-bad","service":"tg","countries":["usa"],"number_type":"any","max_price":{"amount_minor":-5,"currency":"USD"},"submitted_at":"2026-11-29T00:00:00Z","metadata":{}}"#.utf8), key: "req-neg")
                let unknownService = WorkerHarness.request(account: "acct-bad", service: "nosuch")
                try await harness.submit(unknownService)
                var unknownType = WorkerHarness.request(account: "acct-bad")
                unknownType.numberType = "pigeon"
                try await harness.submit(unknownType)
                let unknownAccount = WorkerHarness.request(account: "acct-missing")
                try await harness.submit(unknownAccount)

                #expect(try await harness.events.waitFor(.rejected, of: "req-neg").last?.reasonCode == "invalid_price")
                #expect(try await harness.events.waitFor(.rejected, of: unknownService.requestID).last?.reasonCode == "unknown_service")
                #expect(try await harness.events.waitFor(.rejected, of: unknownAccount.requestID).last?.reasonCode == "unknown_account")
                let typeRejection = try await harness.events.waitFor(.rejected, of: unknownType.requestID).last
                #expect(typeRejection?.reasonCode == "invalid_value")
                #expect(typeRejection?.reason?.contains("pigeon") == true)
                let deadLetters = try await harness.records(of: harness.topics.deadLetters, atLeast: 2)
                #expect(Set(deadLetters.compactMap { $0.header("dlq-reason-code")?.stringValue }) == ["malformed_json", "invalid_price"])
                #expect(deadLetters.allSatisfy { $0.header("dlq-source-topic")?.stringValue == harness.topics.requests })
                // The worker keeps going after all of it.
                try await harness.store.upsertAccount(Account(id: "acct-bad", email: "bad@example.com", balanceMinor: 10_000))
                let good = WorkerHarness.request(account: "acct-bad")
                try await harness.submit(good)
                _ = try await harness.events.waitFor(.completed, of: good.requestID)
                #expect(harness.simulator.audit().purchases == 1)
            }
        }
    }
}
