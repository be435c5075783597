import Basics
import CRdKafka
import Synchronization

/// Collects the delivery reports of one `send` or `enqueue` call and hands them over once all are in.
///
/// Each record carries a pointer to its own slot (batch + index) as librdkafka's per-message
/// opaque, so a whole batch costs a few buffer allocations rather than objects per record, and
/// a delivery report is two stores and an atomic decrement on the poll thread.
final class DeliveryBatch: @unchecked Sendable {
    // @unchecked: each record's slot is written exactly once, by whichever thread settles that
    // record, before the acquiring-releasing decrement of `remaining`; everything is read only
    // after `remaining` reached zero, when the batch no longer changes.

    struct Slot {
        let batch: Unmanaged<DeliveryBatch>
        let index: Int
    }

    /// Where each run of same-topic records starts; the records themselves are not kept, so their
    /// buffers are freed by the sender's thread rather than the poll thread.
    private let topicRuns: [(start: Int, topic: String)]
    let count: Int
    let slots: UnsafeMutableBufferPointer<Slot>
    private let partitions: UnsafeMutableBufferPointer<Int32>
    private let offsets: UnsafeMutableBufferPointer<Int64>
    /// librdkafka's code per record; `RD_KAFKA_RESP_ERR__APPLICATION` marks an error in `refusals`.
    private let errors: UnsafeMutableBufferPointer<rd_kafka_resp_err_t>
    private let refusals = Mutex<[Int: KafkaError]>([:])
    private let remaining: Atomic<Int>
    private let failures = Atomic<Int>(0)
    private let limiter: AsyncLimiter
    /// Called once, with every record settled: on the poll thread, or on the sender's when all were refused.
    private let completion: @Sendable (KafkaDeliveryReports) -> Void

    /// Whether a record acknowledged only implicitly is sent again (``implicitlyAcknowledged``): the idempotent
    /// producer's; a producer without idempotence and with `acks=0` gets no offsets at all.
    private let resendsImplicitAcknowledgements: Bool

    init(
        messages: [KafkaProducerMessage], limiter: AsyncLimiter, resendsImplicitAcknowledgements: Bool,
        completion: @escaping @Sendable (KafkaDeliveryReports) -> Void
    ) {
        self.resendsImplicitAcknowledgements = resendsImplicitAcknowledgements
        var runs: [(start: Int, topic: String)] = []
        for (index, message) in messages.enumerated() where runs.last?.topic != message.topic {
            runs.append((index, message.topic))
        }
        self.topicRuns = runs
        self.count = messages.count
        self.slots = .allocate(capacity: messages.count)
        self.partitions = .allocate(capacity: messages.count)
        self.offsets = .allocate(capacity: messages.count)
        self.errors = .allocate(capacity: messages.count)
        self.remaining = Atomic(messages.count)
        self.limiter = limiter
        self.completion = completion
        let unmanaged = Unmanaged.passUnretained(self)
        for index in 0..<messages.count {
            (slots.baseAddress! + index).initialize(to: Slot(batch: unmanaged, index: index))
        }
    }

    deinit {
        slots.deinitialize().deallocate()
        partitions.deallocate()
        offsets.deallocate()
        errors.deallocate()
    }

    /// Retains the batch until its last record is settled.
    func start() { _ = Unmanaged.passRetained(self) }

    /// Records a record librdkafka refused to take.
    func refuse(_ index: Int, _ error: KafkaError) {
        refusals.withLock { $0[index] = error }
        settle(index, partition: -1, offset: -1, error: RD_KAFKA_RESP_ERR__APPLICATION)
    }

    /// Settles one record; the last one gives the batch's room back, hands the reports over and
    /// releases the batch.
    private func settle(_ index: Int, partition: Int32, offset: Int64, error: rd_kafka_resp_err_t) {
        partitions[index] = partition
        offsets[index] = offset
        errors[index] = error
        if error != RD_KAFKA_RESP_ERR_NO_ERROR { failures.add(1, ordering: .relaxed) }
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            limiter.release(count)
            completion(KafkaDeliveryReports(batch: self))
            Unmanaged.passUnretained(self).release()
        }
    }

    /// Entry point of librdkafka's delivery-report callback.
    static func complete(_ message: UnsafePointer<rd_kafka_message_t>, on handle: OpaquePointer) {
        guard let opaque = message.pointee._private else { return }
        let slot = opaque.assumingMemoryBound(to: Slot.self).pointee
        let batch = slot.batch.takeUnretainedValue()
        let report = message.pointee
        if report.err == RD_KAFKA_RESP_ERR_NO_ERROR, report.offset < 0, batch.resendsImplicitAcknowledgements {
            batch.implicitlyAcknowledged(slot.index, message, on: handle)
            return
        }
        batch.settle(slot.index, partition: report.partition, offset: report.offset, error: report.err)
    }

    // MARK: Implicit acknowledgements

    /// Times a record acknowledged only implicitly is sent again before it counts as not delivered.
    static let implicitAcknowledgementResends = 3

    /// Resends so far, by record; touched only on the poll thread, and rarely (see ``implicitlyAcknowledged``).
    private let resends = Mutex<[Int: Int]>([:])

    /// A record the idempotent producer reported delivered without an offset: a later batch of its partition
    /// succeeded while this one's request had failed, and librdkafka concluded it was written after all (its
    /// "implicit acknowledgement"). That holds against a broker that checks the producer's sequence numbers, which
    /// would have refused the later batch otherwise; librdkafka's mock cluster checks them for transactional
    /// producers only and loses the record (`scripts/librdkafka-idempotent-loss.c`; the fault suite's `broker`
    /// scenario lost terminal events that way). Only an offset proves a write, so the record is sent again, to the
    /// same partition, and settles with that send's report: on a real broker a duplicate, which consumers drop by
    /// ID. After ``implicitAcknowledgementResends`` resends it settles as not delivered (retriable).
    private func implicitlyAcknowledged(_ index: Int, _ message: UnsafePointer<rd_kafka_message_t>, on handle: OpaquePointer) {
        let attempt = resends.withLock { resends in
            resends[index, default: 0] += 1
            return resends[index]!
        }
        guard attempt <= Self.implicitAcknowledgementResends else {
            return refuse(
                index,
                KafkaError(
                    .delivery, "record acknowledged only implicitly (no offset) \(attempt) times in a row; not counted as delivered",
                    isRetriable: true))
        }
        let report = message.pointee
        var original: OpaquePointer?
        let headers =
            rd_kafka_message_headers(message, &original) == RD_KAFKA_RESP_ERR_NO_ERROR ? original.flatMap(rd_kafka_headers_copy) : nil
        let err = otp_rd_kafka_produce(
            handle, report.rkt, report.partition, report.key, report.key_len, report.payload, report.len, headers, report._private)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            if let headers { rd_kafka_headers_destroy(headers) }
            return refuse(index, .rdKafka(.delivery, "record acknowledged only implicitly could not be sent again", err))
        }
    }

    // MARK: Reading a settled batch

    var failureCount: Int { failures.load(ordering: .acquiring) }

    func outcome(at index: Int) -> Result<KafkaDeliveryReport, KafkaError> {
        let error = errors[index]
        if error == RD_KAFKA_RESP_ERR_NO_ERROR {
            return .success(KafkaDeliveryReport(topic: topic(at: index), partition: partitions[index], offset: offsets[index]))
        }
        if error == RD_KAFKA_RESP_ERR__APPLICATION, let refusal = refusals.withLock({ $0[index] }) {
            return .failure(refusal)
        }
        return .failure(.rdKafka(.delivery, "record to '\(topic(at: index))' not delivered", error))
    }

    private func topic(at index: Int) -> String {
        if topicRuns.count == 1 { return topicRuns[0].topic }
        var low = 0
        var high = topicRuns.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if topicRuns[middle].start <= index { low = middle } else { high = middle - 1 }
        }
        return topicRuns[low].topic
    }
}
