import Activation
import Foundation
import Logging
import Suppliers
import Synchronization

/// Drives activations through the state machine: feeds an input, persists the step (write-ahead),
/// then performs the step's actions, feeding every supplier answer back as the next input.
///
/// Inputs for one activation may arrive concurrently (a command while a poll runs); each step is
/// applied with optimistic concurrency and re-fed on a conflict, so the stored machine is the only
/// truth. Every effect is idempotent, so a redelivered input is harmless.
final class ActivationEngine: Sendable {
    let store: ActivationStore
    let gateway: SupplierGateway
    let catalogue: Catalogue
    let publisher: EventPublisher
    let policy: ActivationPolicy
    /// See ``ActivationWorkerConfiguration/stallTimeout``.
    let stallTimeout: Duration
    let logger: Logger
    /// Where follow-ups go; set once the scheduler (which calls back into this engine) exists.
    private let followUps = Mutex<(@Sendable ([ScheduledFollowUp]) async throws -> Void)?>(nil)

    init(
        store: ActivationStore, gateway: SupplierGateway, catalogue: Catalogue, publisher: EventPublisher,
        policy: ActivationPolicy, stallTimeout: Duration = .seconds(30), logger: Logger
    ) {
        self.store = store
        self.gateway = gateway
        self.catalogue = catalogue
        self.publisher = publisher
        self.policy = policy
        self.stallTimeout = stallTimeout
        self.logger = logger
    }

    func connectFollowUps(_ schedule: @escaping @Sendable ([ScheduledFollowUp]) async throws -> Void) {
        followUps.withLock { $0 = schedule }
    }

    /// Feeds one input to the stored activation and persists the step, re-reading on a conflict.
    ///
    /// - Returns: the activation after the step and its actions, or `nil` when the activation is
    ///   unknown or the input no longer applies (logged).
    func advance(
        _ requestID: String, stepID: String? = nil,
        _ input: (inout ActivationStateMachine) throws -> [ActivationAction]
    ) async throws -> (StoredActivation, [ActivationAction])? {
        for _ in 0..<8 {
            guard let current = try await store.activation(requestID: requestID) else { return nil }
            var machine = current.machine
            let actions: [ActivationAction]
            do {
                actions = try input(&machine)
            } catch {
                logger.debug("input no longer applies: \(error)", metadata: ["request.id": "\(requestID)"])
                return nil
            }
            if actions.isEmpty, machine == current.machine { return (current, []) }
            switch try await store.apply(ActivationStep(from: current, to: machine, actions: actions, stepID: stepID)) {
            case .applied(let stored): return (stored, actions)
            case .alreadyApplied(let stored): return (stored, [])
            case .conflict: continue
            case .notFound: return nil
            }
        }
        throw PoolStoreError(code: .concurrentChange, message: "activation \(requestID) kept changing under 8 attempts; retry later", requestID: requestID)
    }

    /// Performs a step's actions in order; supplier answers become further steps.
    func perform(_ actions: [ActivationAction], for stored: StoredActivation) async throws {
        var events: [ActivationEvent] = []
        var schedules: [ScheduledFollowUp] = []
        var supplierCalls: [ActivationAction] = []
        for action in actions {
            switch action {
            case .placeHold, .debitHold, .releaseHold: continue  // persisted with the step
            case .emit(let event): events.append(event)
            case .schedule(let followUp): schedules.append(try Self.scheduled(followUp))
            default: supplierCalls.append(action)
            }
        }
        try await publisher.publish(events)
        if !schedules.isEmpty, let schedule = followUps.withLock({ $0 }) { try await schedule(schedules) }
        for call in supplierCalls {
            try await performSupplierCall(call, for: stored)
        }
    }

    private func performSupplierCall(_ action: ActivationAction, for stored: StoredActivation) async throws {
        let requestID = stored.requestID
        let next: (StoredActivation, [ActivationAction])?
        switch action {
        case .purchase(let attempt):
            let outcome = await gateway.purchase(attempt, maxPrice: stored.request.maxPrice)
            next = try await advance(requestID) { machine in
                try requireCurrent(attempt, in: machine, "purchase")
                switch outcome {
                case .allocated(let number): return try machine.purchaseSucceeded(number, at: Date())
                case .notFound: return try machine.purchaseReconciled(found: nil, at: Date())
                case .failed(let failure): return try machine.purchaseFailed(failure, at: Date())
                }
            }
        case .reconcilePurchase(let attempt):
            let outcome = try await reconcile(attempt, notBefore: stored.machine.currentAttempt?.startedAt ?? stored.createdAt)
            next = try await advance(requestID) { machine in
                try requireCurrent(attempt, in: machine, "reconcilePurchase")
                switch outcome {
                case .allocated(let number): return try machine.purchaseReconciled(found: number, at: Date())
                case .notFound: return try machine.purchaseReconciled(found: nil, at: Date())
                case .failed(let failure): return try machine.purchaseFailed(failure, at: Date())
                }
            }
        case .checkStatus(let activation):
            let result = await gateway.status(activation)
            next = try await advance(requestID) { try $0.statusReceived(result, at: Date()) }
        case .cancel(let activation):
            let outcome = await gateway.cancel(activation)
            next = try await advance(requestID) { try $0.cancelResult(outcome, at: Date()) }
        case .finish(let activation):
            let outcome = await gateway.finish(activation)
            next = try await advance(requestID) { try $0.finishResult(outcome, at: Date()) }
        case .requestAnotherCode(let activation):
            let outcome = await gateway.requestAnotherCode(activation)
            next = try await advance(requestID) { try $0.anotherCodeResult(outcome, at: Date()) }
        default:
            return
        }
        if let (stored, actions) = next { try await perform(actions, for: stored) }
    }

    /// The attempt's number in the supplier's active list: the oldest candidate no other activation owns
    /// (the supplier does not list references; two requests of one service and country bought in the same
    /// second must not end up sharing a number).
    private func reconcile(_ attempt: AttemptSpec, notBefore: Date) async throws -> SupplierGateway.PurchaseOutcome {
        switch await gateway.reconcileCandidates(attempt, notBefore: notBefore) {
        case .candidates(let numbers):
            let owned = try await store.ownedSupplierActivations(supplier: attempt.route.supplier, ids: numbers.map(\.supplierActivationID))
            return numbers.first { !owned.contains($0.supplierActivationID) }.map { .allocated($0) } ?? .notFound
        case .failed(let failure):
            return .failed(failure)
        }
    }

    /// Refuses a purchase answer meant for another attempt than the current one: the machine takes any
    /// number while it is allocating, so a late answer (a purchase resumed elsewhere after a stall) must
    /// not become the number of the attempt that replaced it.
    func requireCurrent(_ attempt: AttemptSpec, in machine: ActivationStateMachine, _ input: String) throws {
        guard machine.currentAttempt?.spec == attempt else {
            logger.warning(
                "a purchase answer arrived for a replaced attempt; a number it bought stays unused until the supplier expires it",
                metadata: ["request.id": "\(machine.request.requestID)", "purchase.reference": "\(attempt.reference)"])
            throw TransitionError(
                input: input, state: machine.state,
                message: "the answer is for attempt \(attempt.number) (\(attempt.reference)); the activation moved on to attempt "
                    + "\(machine.currentAttempt?.spec.number ?? 0)")
        }
    }

    /// A domain follow-up as a durable scheduled record (its JSON is the payload).
    static func scheduled(_ followUp: FollowUp) throws -> ScheduledFollowUp {
        ScheduledFollowUp(
            id: "\(followUp.requestID)#\(followUp.kind.rawValue)#\(followUp.attempt)#\(Int64(followUp.due.timeIntervalSince1970 * 1_000))",
            requestID: followUp.requestID, kind: followUp.kind.rawValue, payload: try WireFormat.encode(followUp),
            dueAt: followUp.due, attempt: followUp.attempt)
    }
}
