import CRdKafka
import Synchronization

/// Collects the delivery reports of one `send` call and resumes its caller once all are in.
///
/// Each record carries a pointer to its own slot (batch + index) as librdkafka's per-message
/// opaque, so a whole batch costs one slot allocation rather than one object per record.
final class DeliveryBatch: @unchecked Sendable {
    // @unchecked: each result slot is written exactly once, by whichever thread serves that
    // record's delivery report, before the acquiring-releasing decrement of `remaining`; the
    // continuation reads them only after `remaining` reached zero.

    typealias Outcome = Result<KafkaDeliveryReport, KafkaError>

    struct Slot {
        let batch: Unmanaged<DeliveryBatch>
        let index: Int
    }

    /// Where each run of same-topic records starts; the records themselves are not kept, so their
    /// buffers are freed by the sender's thread rather than the poll thread.
    private let topicRuns: [(start: Int, topic: String)]
    private let count: Int
    private let results: UnsafeMutableBufferPointer<Outcome?>
    let slots: UnsafeMutableBufferPointer<Slot>
    private let remaining: Atomic<Int>
    private let limiter: OutstandingLimiter
    private let continuation: CheckedContinuation<[Outcome], Never>

    init(messages: [KafkaProducerMessage], limiter: OutstandingLimiter, continuation: CheckedContinuation<[Outcome], Never>) {
        var runs: [(start: Int, topic: String)] = []
        for (index, message) in messages.enumerated() where runs.last?.topic != message.topic {
            runs.append((index, message.topic))
        }
        self.topicRuns = runs
        self.count = messages.count
        self.results = .allocate(capacity: messages.count)
        self.results.initialize(repeating: nil)
        self.slots = .allocate(capacity: messages.count)
        self.remaining = Atomic(messages.count)
        self.limiter = limiter
        self.continuation = continuation
        let unmanaged = Unmanaged.passUnretained(self)
        for index in messages.indices {
            (slots.baseAddress! + index).initialize(to: Slot(batch: unmanaged, index: index))
        }
    }

    deinit {
        results.deinitialize().deallocate()
        slots.deinitialize().deallocate()
    }

    /// Retains the batch until its last record is settled.
    func start() { _ = Unmanaged.passRetained(self) }

    /// Settles one record; the last one gives the batch's room back, resumes the sender and
    /// releases the batch.
    func settle(_ index: Int, _ outcome: Outcome) {
        results[index] = outcome
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            limiter.release(count)
            continuation.resume(returning: results.map { $0! })
            Unmanaged.passUnretained(self).release()
        }
    }

    func topic(at index: Int) -> String {
        if topicRuns.count == 1 { return topicRuns[0].topic }
        var low = 0
        var high = topicRuns.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if topicRuns[middle].start <= index { low = middle } else { high = middle - 1 }
        }
        return topicRuns[low].topic
    }

    /// Entry point of librdkafka's delivery-report callback.
    static func complete(_ message: rd_kafka_message_t) {
        guard let opaque = message._private else { return }
        let slot = opaque.assumingMemoryBound(to: Slot.self).pointee
        let batch = slot.batch.takeUnretainedValue()
        if message.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            batch.settle(
                slot.index,
                .success(KafkaDeliveryReport(topic: batch.topic(at: slot.index), partition: message.partition, offset: message.offset)))
        } else {
            batch.settle(slot.index, .failure(.rdKafka(.delivery, "record to '\(batch.topic(at: slot.index))' not delivered", message.err)))
        }
    }
}
