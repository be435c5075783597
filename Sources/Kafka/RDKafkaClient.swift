import Basics
import CRdKafka
import Dispatch
import Logging
import Synchronization

/// Owns one `rd_kafka_t` handle: builds it from properties, lends it out, and destroys it.
///
/// Every librdkafka call that can block (flush, commit, metadata, close, destroy) goes through
/// `blocking(_:)`, which runs it on this client's own dispatch queue, never on Swift's cooperative
/// thread pool.
final class RDKafkaClient: @unchecked Sendable {
    // @unchecked: `handle` is set once in init and librdkafka's API is thread-safe on it;
    // `callbacks` is immutable and itself Sendable.

    enum Kind {
        case producer, consumer

        var rdKafkaType: rd_kafka_type_t { self == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER }
    }

    /// The librdkafka handle; valid until `destroy()`. Outside the poll thread, reach it through
    /// `withHandle` or `blocking`, which refuse once the client is destroyed.
    let handle: OpaquePointer
    let callbacks: RDKafkaCallbacks
    private let queue: DispatchQueue
    /// Whether the handle is still alive; held only for short, non-blocking calls.
    private let open = Mutex(true)

    /// Creates the handle; every property is validated by librdkafka first.
    ///
    /// - Throws: `KafkaError.Code.invalidConfiguration` naming the property librdkafka refused,
    ///   or `.clientCreation` when the combination is inconsistent.
    init(kind: Kind, properties: [String: String], callbacks: RDKafkaCallbacks) throws {
        let conf = try Self.makeConfiguration(properties)
        callbacks.install(on: conf, kind: kind)
        var errorText = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(kind.rdKafkaType, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(
                .clientCreation,
                "librdkafka refused the configuration: \(String(cBuffer: errorText)). "
                    + "Check the combination of properties (e.g. idempotence needs acks=all).")
        }
        self.handle = handle
        self.callbacks = callbacks
        self.queue = DispatchQueue(label: "otppool.kafka.blocking.\(callbacks.name)")
    }

    /// Runs a short, non-blocking librdkafka call.
    ///
    /// - Throws: `KafkaError.Code.closed` once the client is destroyed.
    func withHandle<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try open.withLock { isOpen in
            guard isOpen else { throw KafkaError(.closed, "the Kafka client is closed; create a new one") }
            return try body(handle)
        }
    }

    /// Runs a blocking librdkafka call off the cooperative pool, on this client's serial queue.
    ///
    /// - Throws: `KafkaError.Code.closed` when the client was destroyed before the call's turn.
    func blocking<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                // `destroy` also runs on this queue, so a call queued before it still finds the handle.
                let isOpen = self.open.withLock { $0 }
                continuation.resume(
                    with: Result {
                        guard isOpen else { throw KafkaError(.closed, "the Kafka client is closed; create a new one") }
                        return try body(self.handle)
                    })
            }
        }
    }

    /// Destroys the handle on the blocking queue, after every call queued before; later calls are refused.
    func destroy() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                let wasOpen = self.open.withLock { isOpen in
                    defer { isOpen = false }
                    return isOpen
                }
                if wasOpen { rd_kafka_destroy(self.handle) }
                continuation.resume()
            }
        }
    }

    /// Destroys the handle from a `deinit`, off any caller's thread, after `cleanUp`.
    func destroyDetached(after cleanUp: @escaping @Sendable () -> Void) {
        queue.async {
            cleanUp()
            let wasOpen = self.open.withLock { isOpen in
                defer { isOpen = false }
                return isOpen
            }
            if wasOpen { rd_kafka_destroy(self.handle) }
        }
    }

    /// Checks that a broker answers a metadata request within `timeout`.
    ///
    /// - Throws: `KafkaError.Code.brokerUnreachable` naming the bootstrap servers.
    func checkConnection(bootstrap: String, timeout: Duration) async throws {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let err = try await blocking { handle -> rd_kafka_resp_err_t in
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle, 0, nil, &metadata, milliseconds)
            if let metadata { rd_kafka_metadata_destroy(metadata) }
            return err
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(
                .brokerUnreachable,
                "no broker at \(bootstrap) answered within \(timeout): \(String(cString: rd_kafka_err2str(err))). "
                    + "Check bootstrap.servers, that the cluster is up, and the security settings.",
                rdKafkaCode: err, isRetriable: true)
        }
    }

    /// The number of partitions `topic` has, as the cluster's metadata says.
    ///
    /// - Throws: `KafkaError.Code.brokerUnreachable` when no answer came within `timeout`; `admin` when the cluster
    ///   does not know the topic.
    func partitionCount(topic: String, timeout: Duration) async throws -> Int {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let (err, count) = try await blocking { handle -> (rd_kafka_resp_err_t, Int) in
            guard let topicHandle = rd_kafka_topic_new(handle, topic, nil) else { return (rd_kafka_last_error(), 0) }
            defer { rd_kafka_topic_destroy(topicHandle) }
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle, 0, topicHandle, &metadata, milliseconds)
            guard let metadata else { return (err, 0) }
            defer { rd_kafka_metadata_destroy(metadata) }
            let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
            guard let entry = topics.first(where: { String(cString: $0.topic) == topic }) else {
                return (RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, 0)
            }
            return (entry.err, Int(entry.partition_cnt))
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, count > 0 else {
            let unreachable = err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__TRANSPORT
            throw KafkaError.rdKafka(unreachable ? .brokerUnreachable : .admin, "no partition count for topic '\(topic)'", err)
        }
        return count
    }

    static func makeConfiguration(_ properties: [String: String]) throws -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errorText = [CChar](repeating: 0, count: 512)
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            guard rd_kafka_conf_set(conf, name, value, &errorText, errorText.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                let shown = isSecret(name) ? "<redacted>" : "'\(value)'"
                throw KafkaError(
                    .invalidConfiguration,
                    "librdkafka property '\(name)' = \(shown) was refused: \(String(cBuffer: errorText)). "
                        + "See librdkafka's CONFIGURATION.md for valid names and values.")
            }
        }
        return conf
    }

    private static func isSecret(_ name: String) -> Bool {
        ["password", "secret", "key", "token"].contains { name.contains($0) }
    }
}

extension String {
    /// Text from a NUL-terminated C buffer that librdkafka filled in.
    init(cBuffer: [CChar]) {
        self = cBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
