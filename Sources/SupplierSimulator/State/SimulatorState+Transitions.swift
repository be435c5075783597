import Basics

extension SimulatorState {
    /// Applies a handler_api `setStatus` (1 ready, 3 another code, 6 finish, 8 cancel) by the rules:
    /// fresh → 1 or 8; after 1 → 8; after a code → 3 or 6; after 3 → 6. Repeating a finish or cancel that
    /// already happened succeeds without a second effect, so at-least-once clients are safe.
    mutating func setStatus(_ id: Int?, key: String, status: Int, now: Double) -> Result<SimActivation, SimFailure> {
        let found = self.activation(id, key: key, now: now)
        guard case .success(var activation) = found else { return found }
        switch (status, activation.phase) {
        case (1, .waiting), (1, .ready):
            activation.phase = .ready
        case (3, .codeReceived) where activation.anotherCodeAllowed:
            let behaviour = self.behaviours[OfferKey(service: activation.service, country: activation.country)]
            activation.phase = .retryRequested
            activation.nextCodeAt = behaviour?.smsDelay.sample(&self.random).map { now + $0 }
            activation.anotherCodeRequests += 1
            self.ledger.anotherCodeRequests += 1
        case (6, .codeReceived), (6, .retryRequested):
            activation.phase = .finished
            activation.nextCodeAt = nil
            self.ledger.finishes += 1
            self.close(activation)
        case (6, .finished):
            return .success(activation)
        case (6, .expired) where activation.isCharged:
            return .success(activation)
        case (8, .waiting), (8, .ready):
            let window = self.configuration.earlyCancelWindow.seconds
            if now - activation.createdAt < window {
                return .failure(.earlyCancel(windowSeconds: self.earlyCancelRealSeconds))
            }
            self.refund(&activation)
            activation.phase = .cancelled
            activation.nextCodeAt = nil
            self.ledger.cancels += 1
            self.close(activation)
        case (8, .cancelled), (8, .banned):
            return .success(activation)
        case (8, .expired) where !activation.isCharged:
            return .success(activation)
        case (1, _), (3, _), (6, _), (8, _):
            return .failure(.badStatus(hasCode: activation.isCharged))
        default:
            return .failure(.badAction)
        }
        self.activations[activation.id] = activation
        return .success(activation)
    }

    /// 5sim `ban`: like a cancel before any code (refunded, no early-cancel window), marked banned.
    mutating func ban(_ id: Int?, key: String, now: Double) -> Result<SimActivation, SimFailure> {
        let found = self.activation(id, key: key, now: now)
        guard case .success(var activation) = found else { return found }
        switch activation.phase {
        case .waiting, .ready:
            self.refund(&activation)
            activation.phase = .banned
            activation.nextCodeAt = nil
            self.ledger.cancels += 1
            self.close(activation)
            self.activations[activation.id] = activation
            return .success(activation)
        case .banned:
            return .success(activation)
        default:
            return .failure(.badStatus(hasCode: activation.isCharged))
        }
    }

    /// The key's open activations, settled to `now`, oldest first.
    mutating func openActivations(key: String, now: Double) -> [SimActivation] {
        let ids = (self.open[key] ?? []).sorted()
        return ids.compactMap { self.settle($0, now: now) }.filter { !$0.phase.isTerminal }
    }

    /// The key's activations of the last four lifetimes, newest first (5sim's order history; the real one keeps
    /// months, this one only what a client looking for lost purchases reads).
    mutating func recentActivations(key: String, now: Double, limit: Int, offset: Int) -> (page: [SimActivation], total: Int) {
        self.settleAll(now: now)
        let horizon = now - self.configuration.activationLifetime.seconds * 4
        var recent: [SimActivation] = []
        var id = self.nextID - 1
        while let activation = self.activations[id], activation.createdAt >= horizon {
            if activation.key == key { recent.append(activation) }
            id -= 1
        }
        let page = recent.dropFirst(offset).prefix(limit)
        return (Array(page), recent.count)
    }
}
