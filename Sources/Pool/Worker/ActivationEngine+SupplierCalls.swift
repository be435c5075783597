import Activation
import Foundation
import Suppliers

extension ActivationEngine {
    /// Makes one supplier call of a step and feeds its answer back as the chain's next step.
    ///
    /// The answer's step carries the chain's fencing epoch. A refused answer that sold a number (for a replaced
    /// attempt, to a fenced worker) makes that number a stray, which is cancelled: a number no attempt owns is
    /// never left for the supplier to bill.
    func performSupplierCall(_ action: ActivationAction, for stored: StoredActivation) async throws {
        let requestID = stored.requestID
        let epoch = stored.epoch
        let next: (StoredActivation, [ActivationAction])?
        do {
            switch action {
            case .purchase(let attempt):
                // Fencing the call itself: a worker paused between writing the purchase ahead and sending it must
                // not buy once another worker took the activation over (its number would belong to nobody).
                let current = try await retryingTransient { try await store.epoch(requestID: requestID) }
                guard current == epoch else {
                    throw Fenced(requestID: requestID, chainEpoch: epoch, currentEpoch: current ?? -1)
                }
                let outcome = await gateway.purchase(attempt, maxPrice: stored.request.maxPrice)
                next = try await purchaseAnswered(attempt, outcome, requestID: requestID, epoch: epoch) { machine in
                    switch outcome {
                    case .allocated(let number): try machine.purchaseSucceeded(number, at: Date())
                    case .notFound: try machine.purchaseReconciled(found: nil, at: Date())
                    case .failed(let failure): try machine.purchaseFailed(failure, at: Date())
                    }
                }
            case .reconcilePurchase(let attempt):
                let notBefore = stored.machine.currentAttempt?.startedAt ?? stored.createdAt
                let outcome = try await reconcile(attempt, notBefore: notBefore)
                next = try await purchaseAnswered(attempt, outcome, requestID: requestID, epoch: epoch) { machine in
                    switch outcome {
                    case .allocated(let number): try machine.purchaseReconciled(found: number, at: Date())
                    case .notFound: try machine.purchaseReconciled(found: nil, at: Date())
                    case .failed(let failure): try machine.reconcileFailed(failure, at: Date())
                    }
                }
            case .checkStatus(let activation):
                let result = await gateway.status(activation)
                next = try await advance(requestID, epoch: epoch) { try $0.statusReceived(result, at: Date()) }
            case .cancel(let activation):
                let outcome = await gateway.cancel(activation)
                next = try await advance(requestID, epoch: epoch) { try $0.cancelResult(outcome, at: Date()) }
            case .finish(let activation):
                let outcome = await gateway.finish(activation)
                next = try await advance(requestID, epoch: epoch) { try $0.finishResult(outcome, at: Date()) }
            case .requestAnotherCode(let activation):
                let outcome = await gateway.requestAnotherCode(activation)
                next = try await advance(requestID, epoch: epoch) { try $0.anotherCodeResult(outcome, at: Date()) }
            default:
                return
            }
        } catch let fenced as Fenced {
            logger.notice("\(fenced)", metadata: ["request.id": "\(requestID)"])
            PoolMetrics.fenced()
            return
        }
        if let (stored, actions) = next { try await perform(actions, for: stored) }
    }

    /// Stores a purchase or reconciliation answer. A number the store refuses as another activation's is looked
    /// for again; a number sold for a replaced attempt or to a fenced chain becomes a stray.
    private func purchaseAnswered(
        _ attempt: AttemptSpec, _ outcome: SupplierGateway.PurchaseOutcome, requestID: String, epoch: Int64,
        _ input: @escaping (inout ActivationStateMachine) throws -> [ActivationAction]
    ) async throws -> (StoredActivation, [ActivationAction])? {
        let sold: AllocatedNumber? = if case .allocated(let number) = outcome { number } else { nil }
        var strayReason: String?
        do {
            let next = try await advance(requestID, epoch: epoch) { machine in
                guard machine.currentAttempt?.spec == attempt else {
                    strayReason = "replaced_attempt"
                    throw TransitionError(input: "purchase answer", state: machine.state,
                                          message: "the answer is for attempt \(attempt.number), replaced since")
                }
                return try input(&machine)
            }
            if let sold, let strayReason { try await stray(sold, attempt: attempt, requestID: requestID, reason: strayReason) }
            return next
        } catch let fenced as Fenced {
            guard let sold else { throw fenced }
            // The supplier did sell this number: that is a fact, not this worker's stale view. While the attempt
            // that bought it is still the activation's and still allocating, the number is its purchase (exactly
            // what the new owner's reconciliation would find); otherwise nobody owns it.
            do {
                if let adopted = try await advance(requestID, { machine in
                    guard machine.currentAttempt?.spec == attempt else {
                        throw TransitionError(input: "fenced purchase answer", state: machine.state, message: "attempt replaced")
                    }
                    return try machine.purchaseSucceeded(sold, at: Date())
                }) {
                    logger.notice("a fenced purchase answer was adopted by its still-allocating attempt", metadata: ["request.id": "\(requestID)"])
                    return adopted
                }
            } catch let error as PoolStoreError where error.code == .supplierActivationTaken {
                // Owned already (the new owner's reconciliation found it): nothing to do.
            }
            try await stray(sold, attempt: attempt, requestID: requestID, reason: "fenced")
            throw fenced
        } catch let error as PoolStoreError where error.code == .supplierActivationTaken {
            logger.notice(
                "a found number belongs to another activation; reconciling again",
                metadata: ["request.id": "\(requestID)", "supplier.activation_id": "\(sold?.supplierActivationID ?? "-")"])
            return try await advance(requestID, epoch: epoch) { machine in
                guard machine.currentAttempt?.spec == attempt else { return [] }
                return try machine.purchasedNumberTaken(sold?.supplierActivationID ?? "?", at: Date())
            }
        }
    }

    /// Records a number no attempt owns; the supplier reconciliation cancels it (or finishes and escalates it
    /// once a code arrived).
    func stray(_ number: AllocatedNumber, attempt: AttemptSpec, requestID: String, reason: String) async throws {
        // The activation that took over may have found this very number in the active list: then it is owned.
        let owned = try await store.ownedSupplierActivations(supplier: attempt.route.supplier, ids: [number.supplierActivationID])
        guard owned.isEmpty else { return }
        logger.warning(
            "a number no attempt owns (\(reason)); the supplier reconciliation cancels it",
            metadata: ["request.id": "\(requestID)", "supplier": "\(attempt.route.supplier)", "supplier.activation_id": "\(number.supplierActivationID)"])
        try await store.recordStray(StrayNumber(
            supplier: attempt.route.supplier, supplierActivationID: number.supplierActivationID, requestID: requestID,
            attempt: attempt.number, reason: reason, phone: number.phoneNumber, priceMinor: number.priceMinor))
        PoolMetrics.strayFound(supplier: attempt.route.supplier, reason: reason)
    }

    /// The attempt's number in the supplier's active list: the oldest candidate no other activation owns
    /// (the supplier does not list references; two requests of one service and country bought in the same
    /// second must not end up sharing a number; if two reconciliations still race for one, the store refuses
    /// the second and it looks again).
    private func reconcile(_ attempt: AttemptSpec, notBefore: Date) async throws -> SupplierGateway.PurchaseOutcome {
        switch await gateway.reconcileCandidates(attempt, notBefore: notBefore) {
        case .candidates(let numbers):
            let claimed = try await store.claimedSupplierActivations(
                supplier: attempt.route.supplier, ids: numbers.map(\.supplierActivationID))
            return numbers.first { !claimed.contains($0.supplierActivationID) }.map { .allocated($0) } ?? .notFound
        case .failed(let failure):
            return .failed(failure)
        }
    }
}
