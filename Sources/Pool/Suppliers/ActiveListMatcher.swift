import Activation
import Foundation
import Suppliers

/// Finds lost purchases in a supplier's active list in batches, for suppliers that do not replay references.
///
/// The list does not say whose a number is; a lost purchase is recognised by service, country and time. Looked
/// for one at a time, every look takes the oldest unowned number of its window, so looks made together all reach
/// for the same one, collide in the store, and walk the list in step. Here the looks waiting for one supplier share
/// one read of its list and of what PostgreSQL knows, and are matched together with every other lost purchase of
/// that supplier (``ActivationStore/inDoubtPurchases(supplier:)``, looking later or in another worker): the one
/// whose window ends first takes the oldest unowned number of its window, the next the oldest one left, and so on
/// (for windows like these — each purchase lands inside its own — that order leaves no number behind that another
/// could have taken), and the looks waiting here get what the order gave them. A look whose window is not settled —
/// a purchase of its route that started before the window closed has no answer stored yet, so its number may be
/// listed and owned by nobody yet — gets no number: it is told to look again shortly. Looks that arrive during a round
/// wait for the next one, which starts ``roundSpacing`` after the last at the earliest: a list is every number
/// the key holds (about 1,500 entries and 360 kB at 150 purchases/s with 20 s lives), and reading it for each
/// look as it came spent more CPU on lists than on the activations themselves.
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

    init(gateway: SupplierGateway, store: ActivationStore, roundSpacing: Duration = .seconds(1)) {
        self.gateway = gateway
        self.store = store
        self.roundSpacing = roundSpacing
    }

    /// The numbers that may be `attempt`'s purchase and no activation owns, best first: the one this round
    /// matched to it, then the rest of its window (to try in turn should another worker's look take the first).
    /// Empty when none; `.unsettled` while a purchase that can have landed in its window is unanswered; `.failed`
    /// when the list could not be read.
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
        // Read before the list: a purchase unanswered now may own a listed number PostgreSQL does not show yet; one
        // answered by now shows in what PostgreSQL owns, read after the list.
        let inFlight: [ActivationStore.InFlightPurchase]
        do {
            inFlight = try await store.purchasesInFlight(supplier: supplier)
        } catch {
            let failure = SupplierFailure(.transport, message: "the purchases in flight could not be read: \(error)")
            for look in looks { look.answer.resume(returning: .failed(failure)) }
            return
        }
        // A read that fails is tried again at once, twice: the whole round waits on it, and its looks must be
        // made within their numbers' lives.
        var listed: [ActiveActivation] = []
        for attempt in 1...3 {
            switch await gateway.activeActivations(supplier: supplier) {
            case .listed(let entries): listed = entries
            case .failed(let failure) where attempt == 3 || !failure.kind.isTransient:
                for look in looks { look.answer.resume(returning: .failed(failure)) }
                return
            case .failed: continue
            }
            break
        }
        let owned: Set<String>
        let inDoubt: [ActivationStore.InDoubtPurchase]
        do {
            owned = try await store.claimedSupplierActivations(supplier: supplier, ids: listed.map(\.activationID))
            inDoubt = try await store.inDoubtPurchases(supplier: supplier)
        } catch {
            let failure = SupplierFailure(.transport, message: "the numbers PostgreSQL owns could not be read: \(error)")
            for look in looks { look.answer.resume(returning: .failed(failure)) }
            return
        }
        // Every lost purchase takes part, looking now or later: one whose look comes later keeps the number this
        // order gives it, so a look made now does not take it.
        let now = Date()
        var claims = looks.map { Claim(requestID: $0.requestID, route: $0.attempt.route, from: $0.notBefore, until: $0.notAfter, look: $0) }
        let looking = Set(looks.map(\.requestID))
        claims += inDoubt.filter { !looking.contains($0.requestID) }.map {
            Claim(requestID: $0.requestID, route: $0.route, from: $0.startedAt, until: $0.until ?? now, look: nil)
        }
        var taken = owned
        for claim in claims.sorted(by: { $0.until < $1.until }) {
            let window: [AllocatedNumber]
            do {
                window = try gateway.candidates(for: claim.route, in: listed, notBefore: claim.from, notAfter: claim.until)
            } catch {
                claim.look?.answer.resume(returning: .failed(error.domainFailure))
                continue
            }
            // `taken` holds what PostgreSQL owns and what this order gave earlier claims, the match included.
            let matched = window.first { !taken.contains($0.supplierActivationID) }
            if let matched { taken.insert(matched.supplierActivationID) }
            guard let look = claim.look else { continue }
            // Its window is settled once no other purchase of its route that started before the window closed is
            // unanswered; until then the match could be that purchase's number (its owner would then take the next,
            // and so on, until a number is left to nobody), so it looks again shortly, keeping its place in the order.
            let unanswered = inFlight.filter {
                $0.requestID != look.requestID && $0.service == look.attempt.route.service
                    && $0.country == look.attempt.route.country && $0.startedAt <= look.notAfter
            }
            guard unanswered.isEmpty else {
                look.answer.resume(returning: .unsettled(inFlight: unanswered.count))
                continue
            }
            let rest = window.filter { !taken.contains($0.supplierActivationID) }
            look.answer.resume(returning: .candidates((matched.map { [$0] } ?? []) + rest))
        }
    }

    /// One lost purchase in a round: a look waiting here, or one that looks later (elsewhere, or after a wait).
    private struct Claim {
        var requestID: String
        var route: AttemptRoute
        var from: Date
        var until: Date
        var look: Look?
    }
}
