import Foundation

extension SimulatorState {
    /// The audit summary, after settling every open activation.
    mutating func audit(now: Double) -> SimulatorAudit {
        self.settleAll(now: now)
        var pending: Int64 = 0
        var openCount = 0
        for ids in self.open.values {
            openCount += ids.count
            for id in ids where self.activations[id]?.isCharged == false {
                pending += self.activations[id]?.priceCents ?? 0
            }
        }
        let ledger = self.ledger
        return SimulatorAudit(
            purchases: ledger.purchases,
            purchaseAttempts: ledger.purchaseAttempts,
            purchaseFailures: ledger.purchaseFailures,
            cancels: ledger.cancels,
            refunds: ledger.refunds,
            expirations: ledger.expirations,
            finishes: ledger.finishes,
            codesDelivered: ledger.codesDelivered,
            anotherCodeRequests: ledger.anotherCodeRequests,
            openActivations: openCount,
            totalPurchased: Cents.decimal(ledger.purchasedCents),
            totalRefunded: Cents.decimal(ledger.refundedCents),
            totalCharged: Cents.decimal(ledger.chargedCents),
            totalPending: Cents.decimal(pending),
            references: self.references.count,
            duplicateReferences: self.references.filter { $0.value.activationIDs.count > 1 }.keys.sorted(),
            requests: ledger.requests
        )
    }

    /// One activation's audit record, settled to `now`.
    mutating func audit(activation id: Int, now: Double) -> ActivationAudit? {
        guard let activation = self.settle(id, now: now) else { return nil }
        return ActivationAudit(
            id: String(activation.id),
            reference: activation.reference,
            service: self.configuration.services[activation.service].code,
            country: self.configuration.countries[activation.country].id,
            operator: activation.operator,
            price: Cents.decimal(activation.priceCents),
            currency: activation.currency,
            maxPrice: activation.maxPriceCents.map(Cents.decimal),
            createdAt: self.clock.date(activation.createdAt),
            expiresAt: self.clock.date(activation.expiresAt),
            status: activation.phase.rawValue,
            codesDelivered: activation.codes.count,
            anotherCodeRequests: activation.anotherCodeRequests,
            charged: activation.isCharged,
            refunded: activation.refunded
        )
    }

    /// Every activation ever sold, settled to `now`, by id.
    mutating func auditActivations(now: Double) -> [ActivationAudit] {
        self.activations.keys.sorted().compactMap { self.audit(activation: $0, now: now) }
    }

    /// What was bought under one reference.
    func audit(reference: String) -> ReferenceAudit {
        let record = self.references[reference] ?? ReferenceRecord()
        return ReferenceAudit(reference: reference, attempts: record.attempts, activationIDs: record.activationIDs.map(String.init))
    }
}
