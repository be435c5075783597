extension DeadLetterSummary {
    /// The listing line of a whole record: what the store's listing query returns for it, for callers that hold
    /// records already (an in-memory backend in tests, a page that shows one in a list).
    public init(_ letter: DeadLetter) {
        id = letter.id
        reasonCode = letter.reasonCode
        reason = letter.reason
        source = letter.source
        identity = letter.identity
        deadLetteredAt = letter.deadLetteredAt
        valueBytes = letter.value.count
        replays = letter.replays.count
        lastReplayedAt = letter.replays.map(\.replayedAt).max()
    }
}
