import Activation
import Basics
import Foundation
import Suppliers

/// Finds lost purchases in a supplier's active list in batches, for suppliers that do not replay references.
///
/// The list does not say whose a number is; a lost purchase is recognised by service, country and time. Looked
/// for one at a time, every look takes the oldest unowned number of its window, so looks made together all reach
/// for the same one, collide in the store, and walk the list in step. Here the looks waiting for one supplier share
/// one read of its list and of what PostgreSQL knows, and are matched together with every other lost purchase of
/// that supplier (``ActivationStore/MatchingRound/inDoubtPurchases()``, looking later or in another worker): the one
/// whose window ends first takes the oldest unowned number of its window, the next the oldest one left, and so on
/// (for windows like these — each purchase lands inside its own — that order leaves no number behind that another
/// could have taken), and the looks waiting here get what the order gave them.
///
/// A round is one for the whole pool: it decides under the supplier's matching lock
/// (``ActivationStore/matchingRound(supplier:_:)``, taken once the list is read), a number it gives a look is
/// stored as that purchase's match before the look acts on it, and later rounds, in any worker, leave it to that
/// purchase. Rounds that each decided alone disagreed under load, and a look refused the number another worker's
/// round gave elsewhere took another of its window, one no order gave it. A look whose window is not settled — a
/// purchase of its route sent before the window closed has no answer stored yet, so its number may be listed and
/// owned by nobody yet — gets no number: it is told to look again shortly. Every lost purchase whose window is
/// settled keeps what the round gave it, looking or not, with what the list said of the number: under load a look
/// comes late, and a number whose life ended before it (with a code, billed) is still its purchase's. A look whose
/// purchase is no longer in doubt (its other look was answered first) takes no number. The list read is the
/// supplier's recent one (``SupplierClient/recentActivations()``): where the supplier keeps an order history (5sim),
/// numbers whose life ended by itself (billed, or expired) are listed too, so a purchase that no round could match
/// while its number lived (every read of the list failed then, in a supplier storm) is still found, not taken for
/// one that never happened.
///
/// Looks that arrive during a round wait for the next one, which starts ``roundSpacing`` after the last at the
/// earliest: a list is every number the key holds (about 1,500 entries and 360 kB at 150 purchases/s with 20 s
/// lives), and reading it for each look as it came spent more CPU on lists than on the activations themselves.
actor ActiveListMatcher {
    private let gateway: SupplierGateway
    private let store: ActivationStore
    /// The least time between the starts of two rounds for one supplier.
    let roundSpacing: Duration

    private struct Look {
        var requestID: String
        var attempt: AttemptSpec
        var notBefore: Date
        var notAfter: Date
        var answer: CheckedContinuation<SupplierGateway.ReconcileOutcome, Never>
    }

    private var waiting: [String: [Look]] = [:]
    private var running: Set<String> = []
    private var lastRound: [String: ContinuousClock.Instant] = [:]

    /// How long after a purchase's answer was lost every purchase that can have landed in its window is listed
    /// and answered (the engine's first look waits that long): a lost purchase not looking is matched only then.
    private let answersSettle: @Sendable (AttemptRoute) -> Duration

    init(
        gateway: SupplierGateway, store: ActivationStore, roundSpacing: Duration = .seconds(1),
        answersSettle: @escaping @Sendable (AttemptRoute) -> Duration = { _ in .zero }
    ) {
        self.gateway = gateway
        self.store = store
        self.roundSpacing = roundSpacing
        self.answersSettle = answersSettle
    }

    /// The engine's matcher: a lost purchase not looking is matched once its supplier's answers settle
    /// (``ActivationEngine/answersSettle(_:catalogue:)``).
    init(gateway: SupplierGateway, store: ActivationStore, catalogue: Catalogue) {
        self.init(gateway: gateway, store: store) { route in ActivationEngine.answersSettle(route, catalogue: catalogue) }
    }

    /// The number the pool's matching gives `attempt`'s lost purchase, stored as its match; nil when its window
    /// holds no number nobody owns or was given; `.unsettled` while a purchase that can have landed in its window is
    /// unanswered; `.failed` when the list (or PostgreSQL) could not be read.
    func find(_ attempt: AttemptSpec, requestID: String, notBefore: Date, notAfter: Date) async -> SupplierGateway.ReconcileOutcome {
        let supplier = attempt.route.supplier
        return await withCheckedContinuation { answer in
            waiting[supplier, default: []].append(Look(
                requestID: requestID, attempt: attempt, notBefore: notBefore, notAfter: notAfter, answer: answer))
            if running.insert(supplier).inserted {
                Task { await self.drain(supplier) }
            }
        }
    }

    /// Runs rounds for `supplier`, spaced, until no look waits.
    private func drain(_ supplier: String) async {
        while true {
            if let last = lastRound[supplier], last + roundSpacing > .now {
                try? await Task.sleep(until: last + roundSpacing, clock: .continuous)
            }
            guard let looks = waiting.removeValue(forKey: supplier), !looks.isEmpty else { break }
            lastRound[supplier] = .now
            await round(looks, supplier: supplier)
        }
        running.remove(supplier)
    }

    private func round(_ looks: [Look], supplier: String) async {
        let answers: [SupplierGateway.ReconcileOutcome]
        do {
            answers = try await store.matchingRound(supplier: supplier) { round in
                try await self.match(looks, in: round)
            }
        } catch let unreadable as ListUnreadable {
            answers = looks.map { _ in .failed(unreadable.failure) }
        } catch {
            let failure = SupplierFailure(.transport, message: "the matching round could not be stored: \(error)")
            answers = looks.map { _ in .failed(failure) }
        }
        // Only now, its matches stored: a look acts on nothing another worker's round cannot see.
        for (look, answer) in zip(looks, answers) { look.answer.resume(returning: answer) }
    }

    /// Matches `looks` inside `round` and stores what they were given; returns each look's answer, in order.
    /// Throws ``ListUnreadable`` when the list cannot be read.
    private func match(_ looks: [Look], in round: ActivationStore.MatchingRound) async throws -> [SupplierGateway.ReconcileOutcome] {
        // Read before the list: a purchase unanswered now may own a listed number PostgreSQL does not show yet; one
        // answered by now shows in what PostgreSQL owns, read after the list. A number held now and given up while
        // the list is read (its attempt replaced, its cancel landing after the read) is listed but not nobody's.
        let inFlight = try await round.purchasesInFlight()
        let heldBefore = try await round.numbersInUse()
        // A read that fails is tried again at once, twice: the whole round waits on it, and its looks must be
        // made within their numbers' lives.
        var listed: [ActiveActivation] = []
        for attempt in 1...3 {
            switch await gateway.activeActivations(supplier: round.supplier, recent: true) {
            case .listed(let entries): listed = entries
            case .failed(let failure) where attempt == 3 || !failure.kind.isTransient: throw ListUnreadable(failure: failure)
            case .failed: continue
            }
            break
        }
        // Decided one round at a time for the whole pool, from here on; what was read so far is only older.
        try await round.lock()
        // Who is looked for, before what is owned: a purchase that stores its match in between (the stores are not
        // under the lock) is then still looked for, or its number owned — never neither, which would free it.
        let inDoubt = try await round.inDoubtPurchases()
        let earlier = try await round.matches()
        let owned = try await round.claimed(listed.map(\.activationID) + earlier.map(\.number.supplierActivationID))
            .union(heldBefore)
        // And who is looked for still, after what is owned: a purchase that stored its number since the first read
        // (its other look, in this worker or another, was answered) has it, owned or kept below; matched again, it
        // would take a second number its activation then refuses, left to nobody.
        let stillInDoubt = Set(try await round.inDoubtPurchases().map(\.reference))

        // A match holds while its purchase is looked for and its number is nobody's: once the purchase's
        // activation stores a number (this one, or another when it looked twice) or moves on, the match is void.
        let now = Date()
        let looking = Set(looks.map(\.attempt.reference))
        let lookedFor = Set(inDoubt.map(\.reference)).union(looking)
        var kept: [String: AllocatedNumber] = [:]  // purchase reference → its match
        for match in earlier where lookedFor.contains(match.reference) && !owned.contains(match.number.supplierActivationID) {
            kept[match.reference] = match.number
        }
        let void = Set(earlier.map(\.reference)).subtracting(kept.keys)
        var taken = owned.union(kept.values.map(\.supplierActivationID))
        var answers: [String: SupplierGateway.ReconcileOutcome] = [:]
        var given: [ActivationStore.MatchingRound.Match] = []

        // Every lost purchase takes part, looking now or later, and each one whose window is settled keeps what this
        // order gives it: its look, however late, gets that number, even once it left the list (its life ended).
        // One that an earlier round matched, in this worker or another, keeps that number, and so does the same
        // purchase looking twice (a follow-up delivered again, a resume): it is one claim.
        // A purchase that was looked for and is not now, or whose earlier match is owned, has its answer.
        let answeredElsewhere = Set(inDoubt.map(\.reference))
            .union(earlier.filter { owned.contains($0.number.supplierActivationID) }.map(\.reference))
            .subtracting(stillInDoubt)
        var claims: [Claim] = []
        var seen: Set<String> = []
        for (index, look) in looks.enumerated() where seen.insert(look.attempt.reference).inserted {
            if let number = kept[look.attempt.reference] {
                answers[look.attempt.reference] = .matched(number)
            } else if answeredElsewhere.contains(look.attempt.reference) {
                // Its purchase is not in doubt any more: answered by its other look, or its activation moved on. The
                // answer no longer applies, and the look takes no number.
                answers[look.attempt.reference] = .unsettled(inFlight: 0)
            } else {
                claims.append(Claim(
                    requestID: look.requestID, reference: look.attempt.reference, route: look.attempt.route,
                    from: look.notBefore, until: look.notAfter, look: index))
            }
        }
        claims += inDoubt.filter {
            !looking.contains($0.reference) && kept[$0.reference] == nil && stillInDoubt.contains($0.reference)
        }.map {
            Claim(
                requestID: $0.requestID, reference: $0.reference, route: $0.route, from: $0.startedAt,
                until: $0.until ?? now, look: nil)
        }
        for claim in claims.sorted(by: { $0.until < $1.until }) {
            let window: [AllocatedNumber]
            do {
                window = try gateway.candidates(for: claim.route, in: listed, notBefore: claim.from, notAfter: claim.until)
            } catch {
                if claim.look != nil { answers[claim.reference] = .failed(error.domainFailure) }
                continue
            }
            // `taken` holds what PostgreSQL owns, what earlier rounds matched, and what this order gave earlier claims.
            let matched = window.first { !taken.contains($0.supplierActivationID) }
            if let matched { taken.insert(matched.supplierActivationID) }
            // Its window is settled once no other purchase of its route that was sent before the window closed is
            // unanswered; until then the match could be that purchase's number (its owner would then take the next,
            // and so on, until a number is left to nobody), so it looks again shortly, keeping its place in the order.
            // The window takes numbers listed up to a second after it closed, in whole seconds: bought up to two
            // seconds after (and the send is on PostgreSQL's clock, the window on its worker's).
            let unanswered = inFlight.filter {
                $0.requestID != claim.requestID && $0.service == claim.route.service
                    && $0.country == claim.route.country && $0.sentAt <= claim.until.addingTimeInterval(2)
            }
            // A look comes once its own purchase surely landed (a timed-out purchase can land after its answer was
            // lost); a purchase not looking is kept to this order only from then on.
            let landed = claim.look != nil || claim.until.addingTimeInterval(answersSettle(claim.route).seconds) <= now
            if unanswered.isEmpty, landed, let matched {
                given.append(.init(reference: claim.reference, number: matched))
            }
            guard claim.look != nil else { continue }
            answers[claim.reference] = unanswered.isEmpty ? .matched(matched) : .unsettled(inFlight: unanswered.count)
        }
        try await round.recordMatches(given, voiding: Array(void.union(given.map(\.reference))))
        return looks.map { answers[$0.attempt.reference] ?? .matched(nil) }
    }

    /// The supplier's active list could not be read: the round's looks fail with this.
    private struct ListUnreadable: Error {
        var failure: SupplierFailure
    }

    /// One lost purchase in a round: a look waiting here, or one that looks later (elsewhere, or after a wait).
    private struct Claim {
        var requestID: String
        var reference: String
        var route: AttemptRoute
        var from: Date
        var until: Date
        /// The index of the look waiting here, if it is one.
        var look: Int?
    }
}
