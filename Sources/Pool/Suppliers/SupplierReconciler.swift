import Activation
import Basics
import Escalation
import Foundation
import Logging
import Suppliers

/// Keeps the rule "no stranger numbers": every number sold on the pool's keys is owned by exactly one attempt,
/// or it is cancelled — or, when a code reached it first, finished and recorded as an unattributed charge.
///
/// Each round settles the recorded strays (``StrayNumber``: answers for replaced attempts, purchases of fenced
/// workers) and compares every supplier's active list with the numbers PostgreSQL owns; an open activation
/// nobody owns for longer than ``grace``, that no unanswered purchase of its route started before it could be
/// (else it may be a stalled purchase its reconciliation will claim), is a stranger. Every worker runs rounds; two
/// that meet on one number make the same idempotent calls.
struct SupplierReconciler: Sendable {
    let store: ActivationStore
    let gateway: SupplierGateway
    /// How long a number may stay unowned before it counts as a stranger: its purchase's answer, or the
    /// reconciliation of a stalled purchase, may still be on its way. Default: 3 × the stall timeout.
    let grace: Duration
    let logger: Logger

    /// What one round did.
    struct Round: Sendable, Hashable {
        var strangersFound = 0
        var cancelled = 0
        var finished = 0
        var gone = 0
    }

    /// Runs rounds every `interval` until the task is cancelled; failures are logged and retried next round.
    func run(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
                let round = try await self.round()
                if round != Round() {
                    logger.notice(
                        "supplier reconciliation",
                        metadata: ["strays.found": "\(round.strangersFound)", "strays.cancelled": "\(round.cancelled)",
                                   "strays.finished": "\(round.finished)", "strays.gone": "\(round.gone)"])
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("supplier reconciliation round failed; next round retries: \(error)")
            }
        }
    }

    /// One round: find strangers, then settle every open stray.
    func round() async throws -> Round {
        var round = Round()
        for supplier in gateway.supplierNames {
            round.strangersFound += try await scanStrangers(supplier)
        }
        for stray in try await store.openStrays() {
            switch try await settle(stray) {
            case "cancelled": round.cancelled += 1
            case "finished": round.finished += 1
            case "gone": round.gone += 1
            default: break
            }
        }
        return round
    }

    /// Records the supplier's open activations that no activation owns or may still claim, bought more than
    /// ``grace`` ago.
    private func scanStrangers(_ supplier: String) async throws -> Int {
        guard case .listed(let active) = await gateway.activeActivations(supplier: supplier) else { return 0 }
        let cutoff = Date().addingTimeInterval(-grace.seconds)
        // A number of a route some activation is still buying on, bought since that attempt started, may be its
        // purchase, not yet answered or reconciled (its worker died and its partition has not moved yet): leave it
        // to the reconciliation. Only a number no unanswered purchase can claim is a stranger. (Cutting off at the
        // oldest activation buying anything from the supplier skipped nearly every number under steady load.)
        var claimable: Set<String> = []
        for (route, since) in try await store.unansweredPurchases(supplier: supplier) {
            let window = (try? gateway.candidates(for: route, in: active, notBefore: since, notAfter: .distantFuture)) ?? []
            claimable.formUnion(window.map(\.supplierActivationID))
        }
        let old = active.filter { number in
            guard let purchasedAt = number.purchasedAt, purchasedAt < cutoff else { return false }
            return !claimable.contains(number.activationID)
        }
        guard !old.isEmpty else { return 0 }
        let known = try await store.claimedSupplierActivations(supplier: supplier, ids: old.map(\.activationID))
        var found = 0
        for stranger in old where !known.contains(stranger.activationID) {
            let recorded = try await store.recordStray(StrayNumber(
                supplier: supplier, supplierActivationID: stranger.activationID, reason: "stranger",
                phone: stranger.phoneNumber, priceMinor: stranger.cost.map(SupplierGateway.minorUnits)))
            if recorded {
                found += 1
                PoolMetrics.strayFound(supplier: supplier, reason: "stranger")
                logger.warning("a number no activation owns is open at the supplier; cancelling it",
                               metadata: ["supplier": "\(supplier)", "supplier.activation_id": "\(stranger.activationID)"])
            }
        }
        return found
    }

    /// Moves one stray on: cancel it while no code arrived, finish it (charged: an unattributed charge) once one
    /// did, forget it once the supplier ended it. Returns its new status.
    private func settle(_ stray: StrayNumber) async throws -> String {
        // A reconciliation may have claimed it between the stray's recording and now: then it is not a stray.
        if try await !store.ownedSupplierActivations(supplier: stray.supplier, ids: [stray.supplierActivationID]).isEmpty {
            try await store.updateStray(
                supplier: stray.supplier, supplierActivationID: stray.supplierActivationID, status: "claimed", charged: false,
                reply: nil)
            return "claimed"
        }
        let ref = SupplierActivationRef(attempt: stray.attempt ?? 0, supplier: stray.supplier, activationID: stray.supplierActivationID)
        var status = "open"
        var charged = false
        var reply: String?
        switch await gateway.status(ref) {
        case .waiting:
            switch await gateway.cancel(ref) {
            case .done: status = "cancelled"
            case .failed(let failure):
                reply = failure.description
                if failure.kind == .noActivation { status = "gone" }
            }
        case .code, .finished(code: .some, _):
            if case .failed(let failure) = await gateway.finish(ref) { reply = failure.description }
            status = "finished"
            charged = true
        case .finished(code: nil, _), .cancelledBySupplier, .expired, .banned:
            status = "gone"
        case .failed(let failure):
            reply = failure.description
            if failure.kind == .noActivation { status = "gone" }
        }
        try await store.updateStray(
            supplier: stray.supplier, supplierActivationID: stray.supplierActivationID, status: status, charged: charged, reply: reply)
        if status != "open" { PoolMetrics.strayResolved(supplier: stray.supplier, outcome: status) }
        if charged {
            let now = Date()
            try await store.recordEscalation(
                triggers: [.unattributedCharge(supplier: stray.supplier, activationID: stray.supplierActivationID, at: now)],
                evidence: .unattributedCharge(
                    supplier: stray.supplier, activationID: stray.supplierActivationID, requestID: stray.requestID,
                    attempt: stray.attempt, reason: stray.reason, phone: stray.phone, priceMinor: stray.priceMinor,
                    reply: reply, at: now))
            logger.error(
                "unattributed charge: a number no attempt owns received a code and was finished; escalated to refunds",
                metadata: ["supplier": "\(stray.supplier)", "supplier.activation_id": "\(stray.supplierActivationID)",
                           "request.id": "\(stray.requestID ?? "-")", "price_minor": "\(stray.priceMinor.map(String.init) ?? "?")"])
        }
        return status
    }
}
