/// How many records may be in flight (begun, not finished) before fetching pauses.
///
/// The limits are soft for what is begun: records already fetched when a partition pauses are still handed
/// over, so up to the limit plus what the consumer buffers (`bufferedBatches × maxBatchSize`) are begun. What
/// runs is bounded hard: the activation worker starts at most `total` requests at once and keeps the rest as
/// records (a few hundred bytes each, not a task each), and the follow-up scheduler takes a record only within
/// the bounds.
/// Fetching resumes once in-flight work falls to half the limit, so a busy partition does not
/// flip between paused and running on every record.
public struct InFlightLimits: Sendable, Hashable {
    /// Most records in flight per partition. Default: 1,000.
    public var perPartition: Int
    /// Most records in flight over all partitions. Default: 10,000.
    public var total: Int

    public init(perPartition: Int = 1_000, total: Int = 10_000) {
        self.perPartition = max(perPartition, 1)
        self.total = max(total, 1)
    }

    /// No back-pressure: never pause.
    public static let unlimited = InFlightLimits(perPartition: .max, total: .max)

    /// The level at which a paused partition (or the whole consumer) resumes.
    func resumeLevel(of limit: Int) -> Int { limit == .max ? .max : limit / 2 }
}
