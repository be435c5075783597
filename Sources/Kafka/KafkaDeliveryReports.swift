/// The outcome of every record of one `KafkaProducer.send(_:)` batch, in the order sent.
///
/// Outcomes are built on access from compact storage, so checking a large batch for failures
/// (`failureCount`, `firstFailure`, `checkDelivered()`) costs no per-record allocation.
public struct KafkaDeliveryReports: RandomAccessCollection, Sendable {
    private let batch: DeliveryBatch?

    init(batch: DeliveryBatch) { self.batch = batch }

    /// The outcome of an empty batch.
    init() { self.batch = nil }

    public var startIndex: Int { 0 }
    public var endIndex: Int { batch?.count ?? 0 }

    public subscript(position: Int) -> Result<KafkaDeliveryReport, KafkaError> {
        precondition(indices.contains(position), "delivery report index \(position) out of range")
        return batch!.outcome(at: position)
    }

    /// How many records were not delivered.
    public var failureCount: Int { batch?.failureCount ?? 0 }

    /// The error of the first record that was not delivered; nil when all were (found without building the array
    /// `get()` returns). Read a batch's failure through this, or `checkDelivered()`.
    public var firstFailure: KafkaError? {
        guard failureCount > 0 else { return nil }
        for outcome in self {
            if case .failure(let error) = outcome { return error }
        }
        return nil
    }

    /// Returns when every record was delivered.
    ///
    /// - Throws: the `KafkaError` of the first record that was not (see ``firstFailure``).
    public func checkDelivered() throws(KafkaError) {
        if let failure = firstFailure { throw failure }
    }

    /// Every record's report, or the first failure.
    ///
    /// - Throws: the `KafkaError` of the first record that was not delivered.
    public func get() throws -> [KafkaDeliveryReport] {
        try map { try $0.get() }
    }
}
