import CRdKafka
import Foundation
import Logging
import Synchronization

/// What a consumer's poll thread does: fetch records in batches and handle rebalances.
///
/// Everything here runs on the poll thread (librdkafka raises rebalances from inside
/// `rd_kafka_consumer_poll`), so the partial batch and the topic-name cache need no lock.
final class ConsumerPollLoop: @unchecked Sendable {
    // @unchecked: `pending` and `topicNames` are touched only from the consumer's poll thread,
    // and from the blocking queue during close after that thread has stopped.

    private let buffer: ConsumerEventBuffer
    private let maxBatchSize: Int
    private let logger: Logger
    private var pending: [UnsafeMutablePointer<rd_kafka_message_t>] = []
    private var topicNames: [OpaquePointer: String] = [:]
    private var lastTopic: (handle: OpaquePointer, name: String)?
    private let joining = Atomic<Bool>(false)
    private let assignedOnce = Atomic<Bool>(false)
    /// The partitions a manually assigned consumer should read (``KafkaConsumer/assign(_:)``), applied by the poll
    /// thread at its next poll; nil when nothing changed since.
    private let wantedAssignment = Mutex<Set<TopicPartition>?>(nil)
    /// The manual assignment applied so far; poll thread only.
    private var manualAssignment: Set<TopicPartition> = []
    /// Fetch states from librdkafka's latest statistics, not yet looked at; poll thread only (librdkafka calls the
    /// statistics callback from inside `rd_kafka_consumer_poll`).
    private var unreadFetchStates: [TopicPartition: String]?
    private var fetchWatch = StalledFetchWatch()
    /// How many partitions were assigned again because their fetch never started.
    let fetchRestarts = Atomic<Int>(0)

    /// The consumer subscribed: it joins its group.
    func subscribed() { joining.store(true, ordering: .releasing) }

    /// Before a member that joins a group is destroyed, waits (blocking, on a background thread, with the poll thread
    /// still serving the group) for its first assignment, for at most `limit`.
    ///
    /// librdkafka before 2.3.0 (Debian ships 2.0.2) aborts the whole process when a cooperative-sticky member is
    /// destroyed after its group chose the assignor but before the first assignment set the assignor's state
    /// (`rd_kafka_sticky_assignor_state_destroy: Assertion 'assignor_state' failed`, librdkafka issue #4312): a
    /// worker stopped while joining, or a test's short-lived reader, took the process down with it. A member that
    /// never reached its group within the wait has no assignor yet, and is destroyed safely.
    func awaitFirstAssignment(for limit: Duration) {
        guard joining.load(ordering: .acquiring), !assignedOnce.load(ordering: .acquiring) else { return }
        let deadline = ContinuousClock.now + limit
        while !assignedOnce.load(ordering: .acquiring), ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if !assignedOnce.load(ordering: .acquiring) { logger.debug("closing before the group's first assignment") }
    }

    init(buffer: ConsumerEventBuffer, maxBatchSize: Int, logger: Logger) {
        self.buffer = buffer
        self.maxBatchSize = max(maxBatchSize, 1)
        self.logger = logger
    }

    /// Asks the poll thread to read exactly `partitions` from its next poll on (see ``KafkaConsumer/assign(_:)``).
    func want(_ partitions: Set<TopicPartition>) {
        wantedAssignment.withLock { $0 = partitions }
    }

    /// One poll: waits up to 100 ms for a record, then takes what else is ready, up to a batch.
    func pollOnce(_ handle: OpaquePointer) {
        if let wanted = wantedAssignment.withLock({ $0.take() }) { reassign(handle, to: wanted) }
        if let states = unreadFetchStates.take() { restartStalledFetches(handle, states) }
        guard let first = rd_kafka_consumer_poll(handle, 100) else { return }
        pending.append(first)
        while pending.count < maxBatchSize, let next = rd_kafka_consumer_poll(handle, 0) {
            pending.append(next)
        }
        let batch = takePending()
        guard !batch.isEmpty else { return }
        // When the buffer is finished (closing), the batch is dropped unstored: it is redelivered.
        _ = buffer.pushWaiting(.messages(batch))
    }

    /// librdkafka's rebalance callback: hand over what was fetched, then (un)assign.
    func rebalance(_ handle: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let partitions = TopicPartitionList.elements(list).map(\.partition)
        let cooperative = Self.rebalanceProtocol(handle) == "COOPERATIVE"
        flushPending()
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            logger.info("partitions assigned", metadata: ["kafka.partitions": "\(partitions)"])
            if cooperative {
                report(rd_kafka_incremental_assign(handle, list), "incremental assign")
            } else {
                report(rd_kafka_assign(handle, list), "assign")
            }
            buffer.pushImmediately(.partitionsAssigned(partitions))
            assignedOnce.store(true, ordering: .releasing)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            logger.info("partitions revoked", metadata: ["kafka.partitions": "\(partitions)"])
            buffer.pushImmediately(.partitionsRevoked(partitions))
            if rd_kafka_assignment_lost(handle) == 0 { commitStored(handle, on: "revoke") }
            if cooperative {
                report(rd_kafka_incremental_unassign(handle, list), "incremental unassign")
            } else {
                report(rd_kafka_assign(handle, nil), "unassign")
            }
        default:
            logger.error("rebalance failed: \(String(cString: rd_kafka_err2str(err))); dropping the assignment")
            report(rd_kafka_assign(handle, nil), "unassign")
        }
    }

    /// Moves a manually assigned consumer to `wanted`, in the order a group's rebalance would: the records fetched
    /// so far are handed over, then the revoke (with a commit of what was stored for them), then the new partitions,
    /// which start from their committed offsets. Kept partitions go on undisturbed.
    private func reassign(_ handle: OpaquePointer, to wanted: Set<TopicPartition>) {
        let inOrder = { (a: TopicPartition, b: TopicPartition) in (a.topic, a.partition) < (b.topic, b.partition) }
        let revoked = manualAssignment.subtracting(wanted).sorted(by: inOrder)
        let added = wanted.subtracting(manualAssignment).sorted(by: inOrder)
        flushPending()
        if !revoked.isEmpty {
            logger.info("partitions unassigned", metadata: ["kafka.partitions": "\(revoked)"])
            buffer.pushImmediately(.partitionsRevoked(revoked))
            commitStored(handle, on: "unassign")
            TopicPartitionList.with(revoked.map { ($0, nil) }) { report(rd_kafka_incremental_unassign(handle, $0), "incremental unassign") }
        }
        if !added.isEmpty {
            logger.info("partitions assigned", metadata: ["kafka.partitions": "\(added)"])
            TopicPartitionList.with(added.map { ($0, nil) }) { report(rd_kafka_incremental_assign(handle, $0), "incremental assign") }
            buffer.pushImmediately(.partitionsAssigned(added))
        }
        manualAssignment = wanted
    }

    /// librdkafka's statistics callback: keeps the partitions' fetch states for the next poll.
    func statistics(_ json: UnsafeRawBufferPointer) {
        unreadFetchStates = StalledFetchWatch.fetchStates(statistics: Data(json))
    }

    /// Assigns again the partitions assigned but not fetching in as many statistics samples in a row as
    /// ``StalledFetchWatch`` asks for: they restart from their committed offsets. Nothing of them was delivered since they
    /// were assigned, so the application is not told; a pause it set on them is kept by librdkafka.
    private func restartStalledFetches(_ handle: OpaquePointer, _ states: [TopicPartition: String]) {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
        let assigned = TopicPartitionList.elements(list).map(\.partition)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let stalled = fetchWatch.sample(states, assigned: Set(assigned))
        guard !stalled.isEmpty else { return }
        fetchRestarts.add(stalled.count, ordering: .relaxed)
        logger.warning(
            "partitions assigned but not fetching in the last statistics samples (librdkafka dropped their fetch start, or their committed offset is late); assigning them again",
            metadata: ["kafka.partitions": "\(stalled)", "kafka.fetch_states": "\(stalled.map { states[$0] ?? "?" })"])
        if Self.rebalanceProtocol(handle) == "EAGER" {
            // An eager member cannot change its assignment piecewise: the whole of it starts again.
            report(rd_kafka_assign(handle, list), "assign")
        } else {
            TopicPartitionList.with(stalled.map { ($0, nil) }) { stalledList in
                report(rd_kafka_incremental_unassign(handle, stalledList), "incremental unassign")
                report(rd_kafka_incremental_assign(handle, stalledList), "incremental assign")
            }
        }
    }

    /// The group's rebalance protocol (`NONE`, `EAGER` or `COOPERATIVE`); nil without a group.
    private static func rebalanceProtocol(_ handle: OpaquePointer) -> String? {
        rd_kafka_rebalance_protocol(handle).map { String(cString: $0) }
    }

    /// Commits the stored offsets now, waiting for the broker, before partitions are given up (`what` names when).
    private func commitStored(_ handle: OpaquePointer, on what: String) {
        let committed = rd_kafka_commit(handle, nil, 0)
        if committed != RD_KAFKA_RESP_ERR_NO_ERROR, committed != RD_KAFKA_RESP_ERR__NO_OFFSET {
            logger.warning("commit on \(what) failed: \(String(cString: rd_kafka_err2str(committed)))")
        }
    }

    private func flushPending() {
        let batch = takePending()
        if !batch.isEmpty { buffer.pushImmediately(.messages(batch)) }
    }

    /// Copies the fetched records out of librdkafka and destroys them.
    ///
    /// All keys and values of a batch share one buffer: one allocation per batch rather than
    /// several per record, which keeps the poll thread and the application's threads from
    /// contending in the allocator.
    private func takePending() -> [KafkaMessage] {
        defer {
            pending.forEach { rd_kafka_message_destroy($0) }
            pending.removeAll(keepingCapacity: true)
        }
        let total = pending.reduce(0) { $0 + $1.pointee.key_len + $1.pointee.len }
        var storage = Data(count: total)
        var ranges: [(key: Range<Int>?, value: Range<Int>)] = []
        ranges.reserveCapacity(pending.count)
        storage.withUnsafeMutableBytes { bytes in
            var cursor = 0
            for message in pending {
                let raw = message.pointee
                var key: Range<Int>?
                if let source = raw.key {
                    bytes.baseAddress!.advanced(by: cursor).copyMemory(from: source, byteCount: raw.key_len)
                    key = cursor..<cursor + raw.key_len
                    cursor += raw.key_len
                }
                if let source = raw.payload {
                    bytes.baseAddress!.advanced(by: cursor).copyMemory(from: source, byteCount: raw.len)
                }
                ranges.append((key, cursor..<cursor + raw.len))
                cursor += raw.len
            }
        }
        var messages: [KafkaMessage] = []
        messages.reserveCapacity(pending.count)
        for (message, range) in zip(pending, ranges) {
            let raw = message.pointee
            guard raw.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                let text = String(cString: rd_kafka_message_errstr(message))
                logger.warning("consumer error: \(text)", metadata: ["kafka.error": "\(String(cString: rd_kafka_err2name(raw.err)))"])
                continue
            }
            messages.append(
                KafkaMessage(
                    fetched: message, topic: topicName(raw.rkt), key: range.key.map { storage[$0] }, value: storage[range.value]))
        }
        return messages
    }

    private func topicName(_ topic: OpaquePointer?) -> String {
        guard let topic else { return "" }
        // Records of a batch mostly share a topic: check the last one before hashing.
        if let last = lastTopic, last.handle == topic { return last.name }
        let name = topicNames[topic] ?? String(cString: rd_kafka_topic_name(topic))
        topicNames[topic] = name
        lastTopic = (topic, name)
        return name
    }

    private func report(_ err: rd_kafka_resp_err_t, _ what: String) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.error("\(what) failed: \(String(cString: rd_kafka_err2str(err)))")
        }
    }

    private func report(_ error: OpaquePointer?, _ what: String) {
        guard let error else { return }
        logger.error("\(what) failed: \(String(cString: rd_kafka_error_string(error)))")
        rd_kafka_error_destroy(error)
    }
}
