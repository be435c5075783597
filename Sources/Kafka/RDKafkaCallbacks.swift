import CRdKafka
import Logging
import Synchronization

/// The object librdkafka's C callbacks reach through the configuration's opaque pointer.
///
/// It routes librdkafka's log lines and global errors to swift-log, and rebalances and statistics to the
/// consumer. It is retained by `RDKafkaClient` for as long as the handle lives.
final class RDKafkaCallbacks: Sendable {
    typealias RebalanceHandler =
        @Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Void

    let name: String
    let logger: Logger
    let onRebalance: RebalanceHandler?
    /// Gets librdkafka's statistics document (JSON, valid only during the call) every `statistics.interval.ms`.
    let onStatistics: (@Sendable (UnsafeRawBufferPointer) -> Void)?
    private let lastErrorBox = Mutex<KafkaError?>(nil)

    init(
        name: String, logger: Logger, onRebalance: RebalanceHandler? = nil,
        onStatistics: (@Sendable (UnsafeRawBufferPointer) -> Void)? = nil
    ) {
        self.name = name
        self.logger = logger
        self.onRebalance = onRebalance
        self.onStatistics = onStatistics
    }

    /// The last client-wide error librdkafka reported (e.g. all brokers down), if any.
    var lastError: KafkaError? { lastErrorBox.withLock { $0 } }

    func install(on conf: OpaquePointer, kind: RDKafkaClient.Kind) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(conf, rdKafkaLog)
        rd_kafka_conf_set_error_cb(conf, rdKafkaError)
        switch kind {
        case .producer: rd_kafka_conf_set_dr_msg_cb(conf, rdKafkaDelivery)
        case .consumer:
            if onRebalance != nil { rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalance) }
            if onStatistics != nil { rd_kafka_conf_set_stats_cb(conf, rdKafkaStatistics) }
        }
    }

    fileprivate func record(_ error: KafkaError) {
        lastErrorBox.withLock { $0 = error }
    }

    fileprivate static func from(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaCallbacks? {
        opaque.map { Unmanaged<RDKafkaCallbacks>.fromOpaque($0).takeUnretainedValue() }
    }
}

private func rdKafkaLog(_ rk: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ text: UnsafePointer<CChar>?) {
    guard let rk, let callbacks = RDKafkaCallbacks.from(rd_kafka_opaque(rk)) else { return }
    let logLevel: Logger.Level =
        switch level {
        case ...3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    callbacks.logger.log(
        level: logLevel, "\(text.map { String(cString: $0) } ?? "")",
        metadata: ["kafka.facility": "\(facility.map { String(cString: $0) } ?? "")"])
}

private func rdKafkaError(_ rk: OpaquePointer?, _ code: Int32, _ reason: UnsafePointer<CChar>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let callbacks = RDKafkaCallbacks.from(opaque) else { return }
    let err = rd_kafka_resp_err_t(code)
    let error = KafkaError.rdKafka(.consume, reason.map { String(cString: $0) } ?? "client error", err)
    callbacks.record(error)
    callbacks.logger.warning("librdkafka reported \(error)")
}

private func rdKafkaRebalance(
    _ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
    _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let partitions, let handler = RDKafkaCallbacks.from(opaque)?.onRebalance else { return }
    handler(rk, err, partitions)
}

private func rdKafkaStatistics(
    _ rk: OpaquePointer?, _ json: UnsafeMutablePointer<CChar>?, _ length: Int, _ opaque: UnsafeMutableRawPointer?
) -> Int32 {
    if let json, let handler = RDKafkaCallbacks.from(opaque)?.onStatistics {
        handler(UnsafeRawBufferPointer(start: json, count: length))
    }
    return 0  // librdkafka frees the document
}

private func rdKafkaDelivery(_ rk: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let rk, let message else { return }
    DeliveryBatch.complete(message, on: rk)
}
