import Activation
import Foundation
import Pool
import Testing

/// The reads the operator console makes (search, recent outcomes, unacknowledged events), on a migrated schema.
@Suite("Store: the console's reads")
struct StoreConsoleReadsTests {
    /// `req-a` completed with number +79990009001 on acct-1, `req-b` waiting for a purchase on acct-2.
    static func seed(_ store: ActivationStore) async throws {
        _ = try await store.upsertAccount(StoreFixtures.account("acct-1"))
        _ = try await store.upsertAccount(StoreFixtures.account("acct-2"))
        let (machine, actions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-a", account: "acct-1"))
        var stored = try await store.created(machine, actions)
        stored = try await store.step(stored) { try $0.purchaseSucceeded(StoreFixtures.number(id: "9001", boughtAt: 1), at: StoreFixtures.at(1)) }
        stored = try await store.step(stored) {
            try $0.statusReceived(.code("123456", text: nil, reply: "STATUS_OK:123456"), at: StoreFixtures.at(20))
        }
        _ = try await store.step(stored) { try $0.finishResult(.done(reply: "ACCESS_ACTIVATION"), at: StoreFixtures.at(21)) }
        let (other, otherActions) = try StoreFixtures.confirmed(StoreFixtures.request(id: "req-b", account: "acct-2"))
        _ = try await store.created(other, otherActions)
    }

    @Test func searchByEachFilter() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await Self.seed(store)
            func ids(_ search: ActivationSearch) async throws -> [String] { try await store.activations(search).map(\.requestID) }
            #expect(try await ids(ActivationSearch()) == ["req-b", "req-a"], "newest first")
            #expect(try await ids(ActivationSearch(requestID: "req-a")) == ["req-a"])
            #expect(try await ids(ActivationSearch(idempotencyKey: "key-req-b")) == ["req-b"])
            #expect(try await ids(ActivationSearch(accountID: "acct-1")) == ["req-a"])
            #expect(try await ids(ActivationSearch(phone: "+79990009001")) == ["req-a"])
            #expect(try await ids(ActivationSearch(state: .completed)) == ["req-a"])
            #expect(try await ids(ActivationSearch(state: .allocating)) == ["req-b"])
            #expect(try await ids(ActivationSearch(from: Date().addingTimeInterval(-600), to: Date().addingTimeInterval(600))).count == 2)
            #expect(try await ids(ActivationSearch(from: Date().addingTimeInterval(600))).isEmpty)
            #expect(try await ids(ActivationSearch(accountID: "acct-1", state: .allocating)).isEmpty, "filters combine")
            #expect(try await ids(ActivationSearch(limit: 1)) == ["req-b"])
            let listing = try #require(try await store.activations(ActivationSearch(requestID: "req-a")).first)
            #expect(listing.supplier == "alpha" && listing.attempt == 1 && listing.service == "tg")
        }
    }

    @Test func outcomesCountWhatEndedRecently() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await Self.seed(store)
            #expect(try await store.outcomes(within: .seconds(60)) == [.completed: 1], "req-b has not ended")
        }
    }

    @Test func pendingEventsAreTheUnacknowledgedOutboxRows() async throws {
        try await StoreTestDatabase.withStore { store, _ in
            try await Self.seed(store)
            let pending = try await store.pendingEvents(requestID: "req-a")
            #expect(!pending.isEmpty, "nothing acknowledged them: no publisher ran")
            #expect(pending.allSatisfy { $0.requestID == "req-a" && $0.eventID.hasPrefix("req-a#") })
            try await store.deleteOutboxEvents(pending.map(\.eventID))
            #expect(try await store.pendingEvents(requestID: "req-a").isEmpty)
        }
    }
}
