extension SimulatorState {
    /// Brings one activation up to `now`: delivers a code that is due, expires it when its lifetime passed.
    mutating func settle(_ id: Int, now: Double) -> SimActivation? {
        guard var activation = self.activations[id] else { return nil }
        guard !activation.phase.isTerminal else { return activation }
        if let due = activation.nextCodeAt, due <= now, due < activation.expiresAt {
            activation.codes.append(String(format: "%06d", Int(self.random.next() % 1_000_000)))
            activation.codeTimes.append(due)
            activation.nextCodeAt = nil
            activation.phase = .codeReceived
            self.ledger.codesDelivered += 1
            if activation.codes.count == 1 { self.ledger.chargedCents += activation.priceCents }
        }
        if now >= activation.expiresAt {
            if !activation.isCharged { self.refund(&activation) }
            activation.phase = .expired
            self.ledger.expirations += 1
            self.close(activation)
        }
        self.activations[id] = activation
        return activation
    }

    /// Settles every open activation (before an audit or a listing).
    mutating func settleAll(now: Double) {
        for ids in self.open.values {
            for id in ids { _ = self.settle(id, now: now) }
        }
    }

    /// Gives the price back to the buyer and the number back to stock.
    mutating func refund(_ activation: inout SimActivation) {
        guard !activation.refunded, !activation.isCharged else { return }
        activation.refunded = true
        self.balances[activation.key, default: 0] += activation.priceCents
        self.stock[OfferKey(service: activation.service, country: activation.country), default: 0] += 1
        self.ledger.refunds += 1
        self.ledger.refundedCents += activation.priceCents
    }

    /// Removes an activation from its key's open set.
    mutating func close(_ activation: SimActivation) {
        self.open[activation.key]?.remove(activation.id)
    }

    /// Looks an activation up for a key: nil when it is unknown or belongs to another key.
    mutating func activation(_ id: Int?, key: String, now: Double) -> Result<SimActivation, SimFailure> {
        guard let id, let activation = self.settle(id, now: now), activation.key == key else { return .failure(.noActivation) }
        return .success(activation)
    }
}
