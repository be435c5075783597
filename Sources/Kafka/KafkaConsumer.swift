import Basics
import CRdKafka
import Dispatch
import Logging
import ServiceLifecycle
import Synchronization

/// A member of a consumer group with at-least-once delivery.
///
/// Records arrive in batches on `events`, interleaved with rebalance events in the order they
/// happened. The application stores a record's offset once its effects are durable; stored
/// offsets are committed every `commitInterval`, on revoke and on close. A dedicated poll thread
/// fetches; when the application falls behind by `bufferedBatches`, fetching waits.
public final class KafkaConsumer: Service, Sendable {
    private let client: RDKafkaClient
    private let configuration: KafkaConsumerConfiguration
    private let buffer: ConsumerEventBuffer
    private let poller: PollThread
    private let loop: ConsumerPollLoop
    private let closed = Atomic<Bool>(false)
    private let logger: Logger

    /// The consumer's records and rebalances; iterate from one task. Ends on `close()`.
    public let events: KafkaConsumerEvents

    /// Creates the consumer; it joins the group on `subscribe`.
    ///
    /// - Throws: `KafkaError` when a property is unknown or invalid.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        let buffer = ConsumerEventBuffer(capacity: configuration.bufferedBatches)
        let loop = ConsumerPollLoop(buffer: buffer, maxBatchSize: configuration.maxBatchSize, logger: logger)
        let callbacks = RDKafkaCallbacks(
            name: "consumer", logger: logger, onRebalance: loop.rebalance,
            onStatistics: configuration.fetchCheckInterval > .zero ? loop.statistics : nil)
        let client = try RDKafkaClient(kind: .consumer, properties: configuration.rdKafkaProperties, callbacks: callbacks)
        rd_kafka_poll_set_consumer(client.handle)
        self.client = client
        self.configuration = configuration
        self.buffer = buffer
        self.logger = logger
        self.events = KafkaConsumerEvents(buffer: buffer)
        self.loop = loop
        self.poller = PollThread(name: "kafka-consumer-poll") { loop.pollOnce(client.handle) }
    }

    /// Joins the group for these topics.
    ///
    /// - Throws: `KafkaError.Code.subscription` with librdkafka's reason.
    public func subscribe(topics: [String]) throws {
        let list = TopicPartitionList.make(topics.map { TopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = try client.withHandle { rd_kafka_subscribe($0, list) }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdKafka(.subscription, "cannot subscribe to \(topics)", err)
        }
        loop.subscribed()
    }

    /// Reads exactly these partitions, chosen by the application rather than by a group (do not also
    /// ``subscribe(topics:)``): each starts from the group's committed offset, and offsets are stored and committed
    /// as for a member. The change is applied on the poll thread within about 100 ms, and `events` reports it as a
    /// rebalance would: `partitionsRevoked` for the partitions dropped (after the records fetched before, and with
    /// their stored offsets committed), then `partitionsAssigned` for the new ones. Partitions kept are not
    /// disturbed. No group fences a manual reader: two consumers given one partition both read it.
    public func assign(_ partitions: Set<TopicPartition>) {
        loop.want(partitions)
    }

    /// Checks that a broker answers within `timeout`.
    ///
    /// - Throws: `KafkaError.Code.brokerUnreachable` with what to check.
    public func checkConnection(timeout: Duration = .seconds(5)) async throws {
        try await client.checkConnection(bootstrap: configuration.client.bootstrapServers.joined(separator: ","), timeout: timeout)
    }

    /// The number of partitions `topic` has.
    ///
    /// - Throws: `KafkaError.Code.brokerUnreachable` when the cluster did not answer within `timeout`, `admin`
    ///   when it does not know the topic.
    public func partitionCount(topic: String, timeout: Duration = .seconds(5)) async throws -> Int {
        try await client.partitionCount(topic: topic, timeout: timeout)
    }

    /// Marks a record processed: its partition resumes after it on the next assignment.
    public func store(_ message: KafkaMessage) throws {
        try storeOffsets([message.topicPartition: message.offset + 1])
    }

    /// Stores, per partition, the offset to resume from (the last processed offset + 1).
    ///
    /// Offsets for partitions no longer assigned are ignored: that work is redelivered elsewhere.
    /// - Throws: `KafkaError.Code.commit` for any other failure.
    public func storeOffsets(_ offsets: [TopicPartition: Int64]) throws {
        guard !offsets.isEmpty else { return }
        try TopicPartitionList.with(offsets.map { ($0.key, $0.value) }) { list in
            let err = try client.withHandle { rd_kafka_offsets_store($0, list) }
            guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
            let failures = TopicPartitionList.elements(list).filter {
                $0.error != RD_KAFKA_RESP_ERR_NO_ERROR && $0.error != RD_KAFKA_RESP_ERR__STATE
            }
            if let failure = failures.first {
                throw KafkaError.rdKafka(.commit, "cannot store offset \(failure.offset) for \(failure.partition)", failure.error)
            }
        }
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    public func commit() async throws {
        let err = try await client.blocking { rd_kafka_commit($0, nil, 0) }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError.rdKafka(.commit, "commit failed", err)
        }
    }

    /// Stops fetching from these partitions until `resume`; records already handed over stay valid.
    public func pause(_ partitions: [TopicPartition]) throws {
        try control(partitions, "pause", rd_kafka_pause_partitions)
    }

    /// Fetches again from paused partitions, from where the application left off.
    public func resume(_ partitions: [TopicPartition]) throws {
        try control(partitions, "resume", rd_kafka_resume_partitions)
    }

    private func control(
        _ partitions: [TopicPartition], _ what: String,
        _ call: (OpaquePointer, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> rd_kafka_resp_err_t
    ) throws {
        guard !partitions.isEmpty else { return }
        try TopicPartitionList.with(partitions.map { ($0, nil) }) { list in
            let err = try client.withHandle { call($0, list) }
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError.rdKafka(.partitionControl, "cannot \(what) \(partitions)", err)
            }
        }
    }

    /// How many times a partition was assigned again because librdkafka never started fetching it (see
    /// ``KafkaConsumerConfiguration/fetchCheckInterval``).
    public var fetchRestarts: Int { loop.fetchRestarts.load(ordering: .relaxed) }

    /// The partitions currently assigned to this member.
    public func assignment() throws -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = try client.withHandle { rd_kafka_assignment($0, &list) }
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw KafkaError.rdKafka(.partitionControl, "cannot read the assignment", err)
        }
        return TopicPartitionList.elements(list).map(\.partition)
    }

    /// The group's committed offset and the high watermark of every assigned partition.
    public func lag(timeout: Duration = .seconds(5)) async throws -> [PartitionLag] {
        let partitions = try assignment()
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await client.blocking { handle in
            try TopicPartitionList.with(partitions.map { ($0, nil) }) { list in
                let err = rd_kafka_committed(handle, list, milliseconds)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw KafkaError.rdKafka(.partitionControl, "cannot read committed offsets", err)
                }
                return TopicPartitionList.elements(list).map { element in
                    var low: Int64 = -1
                    var high: Int64 = -1
                    let p = element.partition
                    if rd_kafka_get_watermark_offsets(handle, p.topic, p.partition, &low, &high) != RD_KAFKA_RESP_ERR_NO_ERROR || high < 0 {
                        _ = rd_kafka_query_watermark_offsets(handle, p.topic, p.partition, &low, &high, milliseconds)
                    }
                    return PartitionLag(partition: p, committed: element.offset >= 0 ? element.offset : nil, highWatermark: max(high, 0))
                }
            }
        }
    }

    /// The end (high watermark) of every assigned partition, asked of its leader now rather than read from the last
    /// fetch's answer: tells a partition whose fetching stopped from one read to its end.
    public func endOffsets(timeout: Duration = .seconds(5)) async throws -> [TopicPartition: Int64] {
        let partitions = try assignment()
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await client.blocking { handle in
            var ends: [TopicPartition: Int64] = [:]
            for partition in partitions {
                var low: Int64 = -1
                var high: Int64 = -1
                let err = rd_kafka_query_watermark_offsets(handle, partition.topic, partition.partition, &low, &high, milliseconds)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw KafkaError.rdKafka(.partitionControl, "cannot ask the end of \(partition)", err)
                }
                ends[partition] = high
            }
            return ends
        }
    }

    /// Runs until graceful shutdown, then closes.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Stops fetching, commits stored offsets, leaves the group and destroys the client.
    /// `events` ends after what was already handed over.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        buffer.finish()
        _ = try? await client.blocking { [poller, logger, loop] handle in
            loop.awaitFirstAssignment(for: Self.firstAssignmentWait)
            poller.stopAndWait()
            let err = rd_kafka_consumer_close(handle)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                logger.warning("leaving the group: \(String(cString: rd_kafka_err2str(err)))")
            }
        }
        await client.destroy()
        logger.debug("consumer closed")
    }

    /// How long closing a member that has not had its first assignment yet waits for it: see
    /// ``ConsumerPollLoop/awaitFirstAssignment(for:)``.
    static let firstAssignmentWait: Duration = .seconds(10)

    /// A consumer dropped without `close()` still leaves its group and frees librdkafka's handle.
    deinit {
        guard !closed.load(ordering: .acquiring) else { return }
        buffer.finish()
        let (client, poller, loop) = (client, poller, loop)
        client.destroyDetached {
            loop.awaitFirstAssignment(for: Self.firstAssignmentWait)
            poller.stopAndWait()
            _ = rd_kafka_consumer_close(client.handle)
        }
    }
}
