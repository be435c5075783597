import Activation
import Foundation
import Suppliers

extension ActivationEngine {
    /// Confirms a decoded request's inputs, writes it ahead with its hold, and starts its first attempt.
    ///
    /// A duplicate idempotency key re-emits the activation's current state and never buys again;
    /// the same key with another body is rejected.
    ///
    /// - Parameters:
    ///   - partition: The requests-topic partition it came from (the owner of the partition resumes it).
    ///   - incoming: The request's valid `traceparent`: the activation continues that trace (as a span of its own),
    ///     else it starts a new one; either way it is stored with the activation.
    func intake(_ request: ActivationRequest, partition: Int32? = nil, incoming: TraceContext? = nil) async throws {
        let trace = TraceContext.continuing(incoming)
        try await PendingDeliveries.awaitingDeliveries {
            try await TraceScope.$current.withValue(trace) { try await intake(request, partition: partition, trace: trace) }
        }
    }

    private func intake(_ request: ActivationRequest, partition: Int32?, trace: TraceContext) async throws {
        let now = clock.now
        var machine = ActivationStateMachine(request: request, policy: policy, at: now)
        let context: RetryContext
        do {
            context = try confirm(request)
        } catch let reason as RejectionReason {
            return try await reject(
                &machine, reason, at: now, knownAccount: try await store.account(id: request.accountID) != nil, trace: trace)
        }
        var rejectable = machine  // still `received`: a refusal by the store starts from here
        let actions = try machine.intakeConfirmed(context: context, at: now)
        // The first purchase is claimed by the intake's own statement (one statement less per activation).
        let firstPurchase = actions.lazy.compactMap { action -> AttemptSpec? in
            if case .purchase(let attempt) = action { attempt } else { nil }
        }.first
        let claim = firstPurchase.map { (attempt: $0.number, hold: purchaseClaimHold($0)) }
        switch try await store.intake(
            machine, actions: actions, partition: partition, topic: partition.map { _ in publisher.topics.requests }, trace: trace,
            claimingPurchase: claim
        ) {
        case .created(let stored):
            recent.remember(stored)
            try await perform(actions, for: stored)
        case .duplicate(let existing, let sameBody):
            if sameBody {
                try await redelivered(existing)
            } else {
                let reason = RejectionReason(
                    .duplicateKeyDifferentBody,
                    "idempotency key '\(request.idempotencyKey)' was used by request \(existing.requestID) with a different body")
                try await publisher.publish(
                    [.rejected(requestID: request.requestID, accountID: request.accountID, service: request.service, reason: reason, at: now)],
                    trace: trace)
            }
        case .unknownAccount:
            try await reject(&rejectable, RejectionReason(.unknownAccount, "account '\(request.accountID)' does not exist", field: "account_id"), at: now, knownAccount: false, trace: trace)
        case .currencyMismatch(let currency):
            try await reject(&rejectable, RejectionReason(.currencyMismatch, "the account is billed in \(currency), the request's max price is in \(request.maxPrice.currency)", field: "max_price.currency"), at: now, knownAccount: true, trace: trace)
        case .insufficientBalance(let available):
            try await reject(&rejectable, RejectionReason(.insufficientBalance, "the account has \(available) minor units available, the request holds \(request.maxPrice.amountMinor)", field: "max_price"), at: now, knownAccount: true, trace: trace)
        }
    }

    /// Checks what the catalogue knows: the service, every requested country, the supplier pool.
    private func confirm(_ request: ActivationRequest) throws -> RetryContext {
        let service: CatalogueService
        do throws(SupplierError) {
            service = try catalogue.service(request.service)
        } catch {
            throw RejectionReason(.unknownService, error.message, field: "service")
        }
        do throws(SupplierError) {
            _ = try catalogue.numberType(request.numberType)
        } catch {
            throw RejectionReason(.invalidValue, error.message, field: "number_type")
        }
        for code in request.countries {
            guard let country = try? catalogue.country(code), catalogue.isEnabled(service: service, country: country) else {
                let enabled = catalogue.countries.filter { catalogue.isEnabled(service: service, country: $0) }.map(\.code)
                throw RejectionReason(
                    .countryNotEnabled, "country '\(code)' is not enabled for service '\(service.code)'; enabled: \(enabled.joined(separator: ", "))",
                    field: "countries")
            }
        }
        let pool: SupplierPool
        do throws(SupplierError) {
            pool = try catalogue.pool(request.supplierPool)
        } catch {
            throw RejectionReason(.unknownSupplierPool, error.message, field: "supplier_pool")
        }
        // The client's number type, then only the fallbacks the policy allows for it (default none): a
        // retry changes the route, never what the client asked for behind its back.
        let known = Set(catalogue.numberTypes.map(\.code))
        let numberTypes = policy.retry.numberTypes(for: request).filter { $0 == request.numberType || known.contains($0) }
        return RetryContext(suppliers: pool.suppliers, numberTypes: numberTypes)
    }

    private func reject(
        _ machine: inout ActivationStateMachine, _ reason: RejectionReason, at now: Date, knownAccount: Bool, trace: TraceContext
    ) async throws {
        let actions = try machine.intakeRejected(reason, at: now)
        if knownAccount, case .duplicate(let existing, _) = try await store.intake(
            machine, actions: actions, partition: nil, topic: nil, trace: trace, claimingPurchase: nil
        ) {
            // The key is taken already: re-emit that activation's state instead.
            try await redelivered(existing)
            return
        }
        if !knownAccount { try await store.recordRejection(machine) }
        try await publisher.publish(actions.compactMap { if case .emit(let event) = $0 { event } else { nil } }, trace: trace)
    }
}
