import Activation
import Foundation
import Testing

@testable import Pool

@Suite("Active-list matching: lost purchases looked for together")
struct ActiveListMatcherTests {
    // Three purchases of one route whose answers were lost (bought here through the gateway, so no activation owns
    // them), looked for one after another, each look's number then stored as taken (a stray record, which the
    // matcher counts as owned like an activation's number): each look gets a different number, all of them the ones
    // sold, and a number already owned is never offered again.
    @Test("each look gets a number sold in its window that nobody owns")
    func looksGetDifferentUnownedNumbers() async throws {
        try await WorkerHarness.run { harness in
            let supplier = try #require(try harness.catalogue.pool(nil).suppliers.first)
            let route = AttemptRoute(supplier: supplier, service: "tg", country: "usa", numberType: "any")
            let started = Date()
            var sold: Set<String> = []
            for index in 1...3 {
                let spec = AttemptSpec(number: 1, route: route, requestID: "lost-\(index)")
                let number = try await harness.buy(spec, maxPrice: nil)
                sold.insert(number.supplierActivationID)
            }
            let lostAt = Date()
            let matcher = ActiveListMatcher(gateway: harness.gateway, store: harness.store)
            var matched: [String] = []
            for index in 1...3 {
                let spec = AttemptSpec(number: 1, route: route, requestID: "lost-\(index)")
                let found = await matcher.find(spec, requestID: "lost-\(index)", notBefore: started, notAfter: lostAt)
                guard case .matched(let first?) = found else {
                    Issue.record("look \(index) found nothing: \(found)")
                    return
                }
                #expect(!matched.contains(first.supplierActivationID), "an owned number offered again")
                matched.append(first.supplierActivationID)
                try await harness.store.recordStray(StrayNumber(
                    supplier: supplier, supplierActivationID: first.supplierActivationID, reason: "test"))
            }
            #expect(Set(matched) == sold && matched.count == 3, "each look matched to a different number sold: \(matched)")

            // A window that ends before the purchases offers nothing.
            let early = AttemptSpec(number: 1, route: route, requestID: "early")
            let none = await matcher.find(
                early, requestID: "early", notBefore: started.addingTimeInterval(-60), notAfter: started.addingTimeInterval(-30))
            #expect(none == .matched(nil))
        }
    }

    /// Lists are read once per round, and rounds are spaced: looks that come while one runs or within the spacing
    /// share the next read instead of each reading the whole list again.
    @Test("looks that come together share one read of the list")
    func looksShareSpacedReads() async throws {
        try await WorkerHarness.run { harness in
            let supplier = try #require(try harness.catalogue.pool(nil).suppliers.first)
            let route = AttemptRoute(supplier: supplier, service: "tg", country: "usa", numberType: "any")
            let started = Date()
            let matcher = ActiveListMatcher(gateway: harness.gateway, store: harness.store, roundSpacing: .seconds(3))
            func reads() -> Int {
                let requests = harness.simulator.audit().requests
                return (requests["handler_api.getActiveActivations"] ?? 0) + (requests["5sim.orders"] ?? 0)
            }
            func look(_ index: Int) async -> SupplierGateway.ReconcileOutcome {
                let spec = AttemptSpec(number: 1, route: route, requestID: "look-\(index)")
                return await matcher.find(spec, requestID: "look-\(index)", notBefore: started, notAfter: Date())
            }
            let before = reads()
            _ = await look(0)  // the first round goes at once
            #expect(reads() == before + 1)
            let clock = ContinuousClock()
            let elapsed = await clock.measure {
                async let first = look(1)
                async let second = look(2)
                async let third = look(3)
                for outcome in await [first, second, third] {
                    guard case .matched = outcome else {
                        Issue.record("the list could not be read: \(outcome)")
                        return
                    }
                }
            }
            #expect(reads() == before + 2, "three looks, one read")
            #expect(elapsed >= .seconds(2), "the second round waited for the spacing (\(elapsed))")
        }
    }

    // A purchase sent and not answered may have sold a listed number that PostgreSQL does not show as its own yet
    // (under load its answer takes longer to store than any margin): a look whose window that purchase could have
    // landed in is told to look again, not given a number; a window that closed before it was sent is settled, and
    // so is every window while it is only written ahead (sent later, it lands later).
    @Test("a look waits while a purchase that can have landed in its window is unanswered")
    func unansweredPurchasesUnsettleTheWindow() async throws {
        try await WorkerHarness.run { harness in
            let supplier = try #require(try harness.catalogue.pool(nil).suppliers.first)
            let route = AttemptRoute(supplier: supplier, service: "tg", country: "usa", numberType: "any")
            try await harness.store.upsertAccount(Account(id: "acct-settle", email: "settle@example.com", balanceMinor: 100_000))
            let lostStarted = Date()
            let lost = AttemptSpec(number: 1, route: route, requestID: "lost")
            _ = try await harness.buy(lost, maxPrice: nil)
            let lostAt = Date()
            // Past the window's two seconds of slack (whole seconds in the list, and the send on PostgreSQL's clock).
            try await Task.sleep(for: .milliseconds(2_100))
            let request = WorkerHarness.request(account: "acct-settle")
            let unanswered = try await WorkerRestartTests.writeAhead(request, harness)
            let matcher = ActiveListMatcher(gateway: harness.gateway, store: harness.store, roundSpacing: .zero)

            // Written ahead, not sent: no window waits for it.
            let notSent = AttemptSpec(number: 3, route: route, requestID: "lost")
            guard case .matched = await matcher.find(notSent, requestID: "lost", notBefore: lostStarted, notAfter: Date()) else {
                Issue.record("a purchase only written ahead held a look back")
                return
            }
            let epoch = try #require(try await harness.store.activation(requestID: request.requestID)).epoch
            #expect(try await harness.store.claimPurchase(requestID: request.requestID, epoch: epoch, hold: .zero, attempt: unanswered.number) != nil)

            let settled = await matcher.find(lost, requestID: "lost", notBefore: lostStarted, notAfter: lostAt)
            guard case .matched(_?) = settled else {
                Issue.record("a window closed before the unanswered purchase was sent is settled: \(settled)")
                return
            }

            // (Another purchase: the one above keeps the match it was given.)
            let later = AttemptSpec(number: 2, route: route, requestID: "lost")
            let unsettled = await matcher.find(later, requestID: "lost", notBefore: lostStarted, notAfter: Date())
            #expect(unsettled == .unsettled(inFlight: 1))

            let otherRoute = AttemptSpec(number: 1, route: AttemptRoute(supplier: supplier, service: "tg", country: "england", numberType: "any"), requestID: "other")
            let elsewhere = await matcher.find(otherRoute, requestID: "other", notBefore: lostStarted, notAfter: Date())
            guard case .matched = elsewhere else {
                Issue.record("a purchase of another route does not unsettle the window: \(elsewhere)")
                return
            }
        }
    }

    // Two workers' rounds that each decided alone disagreed under load: one gave a number to its look, the other gave
    // the same number to its own, and the refused look took another of its window. A round's match is stored, and
    // every later round — here a second matcher, as in another worker — leaves that number to that purchase while it
    // is looked for, whatever the round learned since; the purchase looking again keeps it; once its activation owns
    // a number the match is void.
    @Test("a number one worker's round matched is left to that purchase by every other round")
    func matchesAreSharedByThePool() async throws {
        try await WorkerHarness.run { harness in
            guard let lost = try await lostBesideAnother(account: "acct-shared", other: "spare", harness) else { return }
            let (first, firstSpec, firstNumber, spareNumber) = (lost.request, lost.spec, lost.own, lost.others)
            let (started, firstLost) = (lost.started, lost.lostAt)
            let worker1 = ActiveListMatcher(gateway: harness.gateway, store: harness.store, roundSpacing: .zero)
            let worker2 = ActiveListMatcher(gateway: harness.gateway, store: harness.store, roundSpacing: .zero)

            let one = await worker1.find(firstSpec, requestID: first.requestID, notBefore: started, notAfter: firstLost)
            #expect(one.matchedID == firstNumber.supplierActivationID, "the oldest number of its window: \(one)")

            // A second lost purchase the first round did not know, whose window ends first: matched alone it would
            // take the first number; the first purchase keeps it.
            let second = WorkerHarness.request(account: "acct-shared")
            let secondSpec = try await WorkerRestartTests.writeAhead(second, harness)
            try await lose(second.requestID, sentAt: started, harness)
            let two = await worker2.find(
                secondSpec, requestID: second.requestID, notBefore: started, notAfter: firstLost.addingTimeInterval(-0.01))
            #expect(two.matchedID == spareNumber.supplierActivationID, "the other worker's round leaves the first number: \(two)")
            let again = await worker2.find(firstSpec, requestID: first.requestID, notBefore: started, notAfter: firstLost)
            #expect(again.matchedID == firstNumber.supplierActivationID, "looking again, a purchase keeps its match: \(again)")
            let third = AttemptSpec(number: 1, route: firstSpec.route, requestID: "third")
            #expect(await worker1.find(third, requestID: "third", notBefore: started, notAfter: firstLost) == .matched(nil))

            // The first purchase gives up its look (here: found nothing) — its match is void, the number free again.
            let stored = try #require(try await harness.store.activation(requestID: first.requestID))
            _ = try await harness.store.step(stored) { try $0.purchaseReconciled(found: nil, at: Date()) }
            let freed = await worker1.find(third, requestID: "third", notBefore: started, notAfter: firstLost)
            #expect(freed.matchedID == firstNumber.supplierActivationID, "a match whose purchase is no longer looked for is void: \(freed)")
        }
    }

    // One purchase looked for twice at once, in two workers (its follow-up and a resume): the first round gave it a
    // number and its activation stored it; the second round, no longer finding a match it could keep (the number is
    // owned now), matched the purchase afresh with another number of its window, which the activation refused and
    // which was left to nobody: billed, joined to no attempt (ambiguous, make test). A look whose purchase is no longer
    // in doubt takes no number.
    @Test("a second look of a purchase that stored its number meanwhile takes no other number")
    func aLookAnsweredElsewhereTakesNothing() async throws {
        try await WorkerHarness.run { harness in
            guard let lost = try await lostBesideAnother(account: "acct-twice", other: "other", harness) else { return }
            let (twice, spec, own, othersNumber) = (lost.request, lost.spec, lost.own, lost.others)
            let (started, lostAt) = (lost.started, lost.lostAt)
            let other = AttemptSpec(number: 1, route: spec.route, requestID: "other")
            let worker1 = ActiveListMatcher(gateway: harness.gateway, store: harness.store, roundSpacing: .zero)
            let worker2 = ActiveListMatcher(gateway: harness.gateway, store: harness.store, roundSpacing: .zero)

            let first = await worker1.find(spec, requestID: twice.requestID, notBefore: started, notAfter: lostAt)
            let matched = try #require(first.matchedNumber, "the first look finds its number: \(first)")
            #expect(matched.supplierActivationID == own.supplierActivationID)
            let stored = try #require(try await harness.store.activation(requestID: twice.requestID))
            _ = try await harness.store.step(stored) { try $0.purchaseReconciled(found: matched, at: Date()) }

            let second = await worker2.find(spec, requestID: twice.requestID, notBefore: started, notAfter: lostAt)
            #expect(second.matchedID == nil, "the second look takes no number: \(second)")
            let others = await worker2.find(other, requestID: "other", notBefore: started, notAfter: lostAt)
            #expect(others.matchedID == othersNumber.supplierActivationID, "the other purchase keeps its number: \(others)")
        }
    }

    // Under load a look comes late — after the answers in flight were stored, behind the follow-ups — and a number's
    // life can end before it: the number received its code meanwhile and was billed, and its purchase took another's.
    // A round matches every lost purchase whose window is settled, not only the looks waiting, and keeps the number
    // with the match: the late look gets it from there, listed or not.
    @Test("a lost purchase matched while another looked gets its number after the number left the list")
    func aLateLookGetsTheNumberItWasMatched() async throws {
        try await WorkerHarness.run { harness in
            try await harness.store.upsertAccount(Account(id: "acct-late", email: "late@example.com", balanceMinor: 100_000))
            let started = Date()
            let late = WorkerHarness.request(account: "acct-late")
            let spec = try await WorkerRestartTests.writeAhead(late, harness)
            let number = try await harness.buy(spec, maxPrice: nil)
            let lostAt = Date()
            try await lose(late.requestID, sentAt: started, harness)
            let matcher = ActiveListMatcher(gateway: harness.gateway, store: harness.store, roundSpacing: .zero)

            // Another look's round (its window holds nothing) matches the lost purchase too.
            let other = AttemptSpec(number: 1, route: spec.route, requestID: "other")
            let nothing = await matcher.find(
                other, requestID: "other", notBefore: started.addingTimeInterval(-60), notAfter: started.addingTimeInterval(-30))
            #expect(nothing == .matched(nil))

            harness.simulator.advance(by: .seconds(3_600))  // the number's life ends
            guard case .listed(let listed) = await harness.gateway.activeActivations(supplier: spec.route.supplier) else {
                Issue.record("the list could not be read")
                return
            }
            #expect(!listed.contains { $0.activationID == number.supplierActivationID }, "the number left the list")
            let found = await matcher.find(spec, requestID: late.requestID, notBefore: started, notAfter: lostAt)
            #expect(found.matchedID == number.supplierActivationID, "the late look gets the number it was matched: \(found)")
        }
    }

    // Under a supplier storm every read of the list can fail for longer than a number lives (the fault suite's
    // kill-storm, its lives shortened 60 times): no round matched the lost purchase while it was listed, and its
    // number received its code and was billed. 5sim keeps an order history, and its billed orders are read with
    // the open ones, so the look still finds it instead of deciding the purchase never happened.
    @Test("a lost purchase no round matched while it lived is found once its life ended billed, where the supplier keeps a history")
    func aBilledNumberIsFoundAfterItsLife() async throws {
        try await WorkerHarness.run { harness in
            let supplier = try #require(try harness.catalogue.pool(nil).suppliers.first {
                try harness.catalogue.supplier($0).api == .fiveSim
            })
            let route = AttemptRoute(supplier: supplier, service: "tg", country: "usa", numberType: "any")
            let started = Date()
            let spec = AttemptSpec(number: 1, route: route, requestID: "billed-late")
            let number = try await harness.buy(spec, maxPrice: nil)
            let lostAt = Date()
            harness.simulator.advance(by: .seconds(1_201))  // its code arrives, then its 20 minutes end: billed
            guard case .listed(let open) = await harness.gateway.activeActivations(supplier: supplier) else {
                Issue.record("the list could not be read")
                return
            }
            #expect(!open.contains { $0.activationID == number.supplierActivationID }, "the number left the open list")
            // The simulator's jump moves the dates it lists for what happened before it back (by the jump over its
            // time scale, and more): the window reaches back far enough to hold them. Only this purchase was made.
            let matcher = ActiveListMatcher(gateway: harness.gateway, store: harness.store, roundSpacing: .zero)
            let found = await matcher.find(
                spec, requestID: "billed-late", notBefore: started.addingTimeInterval(-3_600), notAfter: lostAt)
            #expect(found.matchedID == number.supplierActivationID, "the billed number is the lost purchase's: \(found)")
        }
    }

    /// A request of a fresh `account` whose purchase sold a number and lost its answer, and a second number of the
    /// same route sold a second later to the purchase `other` (the list has whole seconds: the two stay apart).
    private func lostBesideAnother(account: String, other: String, _ harness: WorkerHarness) async throws -> (
        request: ActivationRequest, spec: AttemptSpec, own: AllocatedNumber, others: AllocatedNumber, started: Date, lostAt: Date
    )? {
        try await harness.store.upsertAccount(Account(id: account, email: "\(account)@example.com", balanceMinor: 100_000))
        let started = Date()
        let request = WorkerHarness.request(account: account)
        let spec = try await WorkerRestartTests.writeAhead(request, harness)
        let own = try await harness.buy(spec, maxPrice: nil)
        try await Task.sleep(for: .milliseconds(1_100))
        let second = AttemptSpec(number: 1, route: spec.route, requestID: other)
        let others = try await harness.buy(second, maxPrice: nil)
        let lostAt = Date()
        try await lose(request.requestID, sentAt: started, harness)
        return (request, spec, own, others, started, lostAt)
    }

    /// Stores that `requestID`'s purchase, sent at `sentAt`, lost its answer: it is in doubt, looked for.
    private func lose(_ requestID: String, sentAt: Date, _ harness: WorkerHarness) async throws {
        let stored = try #require(try await harness.store.activation(requestID: requestID))
        _ = try await harness.store.step(stored) {
            try $0.purchaseFailed(SupplierFailure(.transport, message: "connection reset"), at: Date(), sentAt: sentAt)
        }
    }
}

extension SupplierGateway.ReconcileOutcome {
    /// The supplier activation ID matched, if any.
    fileprivate var matchedID: String? { matchedNumber?.supplierActivationID }

    /// The number matched, if any.
    fileprivate var matchedNumber: AllocatedNumber? {
        if case .matched(let number?) = self { number } else { nil }
    }
}
