extension SimulatorState {
    /// Decides whether the reply to a write is lost, after the write was applied, and counts the fault.
    ///
    /// Only a write that succeeded is affected: a refusal (`NO_NUMBERS`, `EARLY_CANCEL_DENIED` …) changed nothing,
    /// so losing its reply would not be ambiguous. The global rates apply to every write; with `perOffer` (a
    /// purchase) the offer's rates are drawn too. A draw only happens for a rate above 0, so a seeded run without
    /// these faults makes the same draws as before they existed.
    ///
    /// - Parameters:
    ///   - result: the write's outcome.
    ///   - perOffer: whether the offer's own rates apply (purchases).
    /// - Returns: the fault to apply to the reply, `.none` for most.
    mutating func replyFault(after result: Result<SimActivation, SimFailure>, perOffer: Bool) -> ReplyFault {
        guard case .success(let activation) = result else { return .none }
        let offer = perOffer ? self.behaviours[OfferKey(service: activation.service, country: activation.country)] : nil
        if self.random.chance(self.configuration.ambiguousErrorRate) || self.random.chance(offer?.ambiguousErrorRate ?? 0) {
            self.ledger.requests["fault.ambiguous_error", default: 0] += 1
            return .ambiguousError
        }
        if self.random.chance(self.configuration.resetRate) || self.random.chance(offer?.resetRate ?? 0) {
            self.ledger.requests["fault.reset", default: 0] += 1
            return .reset
        }
        return .none
    }
}
