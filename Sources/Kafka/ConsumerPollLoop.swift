import CRdKafka
import Logging

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
    private var pending: [KafkaMessage] = []
    private var topicNames: [OpaquePointer: String] = [:]

    init(buffer: ConsumerEventBuffer, maxBatchSize: Int, logger: Logger) {
        self.buffer = buffer
        self.maxBatchSize = max(maxBatchSize, 1)
        self.logger = logger
    }

    /// One poll: waits up to 100 ms for a record, then takes what else is ready, up to a batch.
    func pollOnce(_ handle: OpaquePointer) {
        guard let first = rd_kafka_consumer_poll(handle, 100) else { return }
        take(first)
        while pending.count < maxBatchSize, let next = rd_kafka_consumer_poll(handle, 0) {
            take(next)
        }
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        pending.reserveCapacity(min(maxBatchSize, 1_024))
        // When the buffer is finished (closing), the batch is dropped unstored: it is redelivered.
        _ = buffer.pushWaiting(.messages(batch))
    }

    /// librdkafka's rebalance callback: hand over what was fetched, then (un)assign.
    func rebalance(_ handle: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let partitions = TopicPartitionList.elements(list).map(\.partition)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
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
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            logger.info("partitions revoked", metadata: ["kafka.partitions": "\(partitions)"])
            buffer.pushImmediately(.partitionsRevoked(partitions))
            if rd_kafka_assignment_lost(handle) == 0 {
                let committed = rd_kafka_commit(handle, nil, 0)
                if committed != RD_KAFKA_RESP_ERR_NO_ERROR, committed != RD_KAFKA_RESP_ERR__NO_OFFSET {
                    logger.warning("commit on revoke failed: \(String(cString: rd_kafka_err2str(committed)))")
                }
            }
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

    private func flushPending() {
        guard !pending.isEmpty else { return }
        buffer.pushImmediately(.messages(pending))
        pending = []
    }

    private func take(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        defer { rd_kafka_message_destroy(message) }
        let raw = message.pointee
        guard raw.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let text = String(cString: rd_kafka_message_errstr(message))
            logger.warning("consumer error: \(text)", metadata: ["kafka.error": "\(String(cString: rd_kafka_err2name(raw.err)))"])
            return
        }
        pending.append(KafkaMessage(copying: message, topic: topicName(raw.rkt)))
    }

    private func topicName(_ topic: OpaquePointer?) -> String {
        guard let topic else { return "" }
        if let name = topicNames[topic] { return name }
        let name = String(cString: rd_kafka_topic_name(topic))
        topicNames[topic] = name
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
