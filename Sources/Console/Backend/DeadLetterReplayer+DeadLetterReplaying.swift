import Pool

/// The Pool's replayer as the console's: the activation worker passes one built on its own producer.
extension DeadLetterReplayer: DeadLetterReplaying {
    public func replayCandidates(_ filter: DeadLetterFilter) async throws -> [DeadLetterSummary] {
        try await store.replayCandidates(filter, topics: topics)
    }
}
