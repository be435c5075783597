import Basics
import CRdKafka
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Produces records to Kafka; every `send` completes on the records' delivery reports.
///
/// Idempotence is on by default, so retries inside librdkafka never duplicate or reorder a
/// partition's records. A record counts as delivered once the broker gave it an offset: one the
/// idempotent producer acknowledged only implicitly is sent again (see `DeliveryBatch`), which a real
/// broker can store twice. At most `maxOutstandingMessages` records are in flight; `send` waits for
/// room beyond that. Delivery reports are served by a dedicated poll thread.
public final class KafkaProducer: Service, Sendable {
    private let client: RDKafkaClient
    private let configuration: KafkaProducerConfiguration
    private let limiter: AsyncLimiter
    private let topics = Mutex<[String: OpaquePointer]>([:])
    private let closed = Atomic<Bool>(false)
    /// Whether librdkafka runs this producer idempotently (the configuration's flag, or a property overriding it).
    private let idempotent: Bool
    private let poller: PollThread
    private let logger: Logger

    /// Creates the producer; it connects lazily, on the first record or `checkConnection`.
    ///
    /// - Throws: `KafkaError` when a property is unknown or invalid.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        let callbacks = RDKafkaCallbacks(name: "producer", logger: logger)
        let properties = configuration.rdKafkaProperties
        let client = try RDKafkaClient(kind: .producer, properties: properties, callbacks: callbacks)
        self.client = client
        self.configuration = configuration
        self.idempotent = properties["enable.idempotence"] == "true"
        self.limiter = AsyncLimiter(limit: configuration.maxOutstandingMessages)
        self.logger = logger
        self.poller = PollThread(name: "kafka-producer-poll") { _ = rd_kafka_poll(client.handle, 100) }
    }

    /// Records handed to librdkafka whose delivery report has not arrived yet.
    public var outstandingMessages: Int { limiter.outstanding }

    /// Sends one record and returns where it landed.
    ///
    /// - Throws: `KafkaError` with code `.delivery` (and librdkafka's code) when it was not delivered.
    @discardableResult
    public func send(_ message: KafkaProducerMessage) async throws -> KafkaDeliveryReport {
        try await send([message])[0].get()
    }

    /// Sends records as one batch and returns each one's outcome, in order, once all are settled.
    ///
    /// This is the fast path: one suspension for the whole batch, no per-record allocation for
    /// the outcomes.
    public func send(_ messages: [KafkaProducerMessage]) async -> KafkaDeliveryReports {
        guard !messages.isEmpty else { return KafkaDeliveryReports() }
        await limiter.acquire(messages.count)
        return await withCheckedContinuation { continuation in
            hand(messages) { continuation.resume(returning: $0) }
        }
    }

    /// Hands records to librdkafka as one batch and returns once they are queued, without waiting for the
    /// broker; `onDelivery` gets each one's outcome, in order, once all are settled.
    ///
    /// For records whose loss the caller covers otherwise (an outbox that sends them again), so that it goes
    /// on at once. It waits only for room, like `send`, which keeps the records in flight bounded.
    /// `onDelivery` runs on the producer's poll thread (or, when the producer refused them all, on the
    /// caller's): keep it short and never block in it.
    public func enqueue(_ messages: [KafkaProducerMessage], onDelivery: @escaping @Sendable (KafkaDeliveryReports) -> Void) async {
        guard !messages.isEmpty else { return onDelivery(KafkaDeliveryReports()) }
        await limiter.acquire(messages.count)
        hand(messages, completion: onDelivery)
    }

    /// Hands records, whose room is acquired, to librdkafka; `completion` runs once every one is settled.
    private func hand(_ messages: [KafkaProducerMessage], completion: @escaping @Sendable (KafkaDeliveryReports) -> Void) {
        let isClosed = closed.load(ordering: .acquiring)
        let batch = DeliveryBatch(messages: messages, limiter: limiter, resendsImplicitAcknowledgements: idempotent, completion: completion)
        batch.start()
        // Enqueueing holds the handle, so a concurrent close cannot destroy it mid-batch.
        let enqueued = (try? client.withHandle { handle -> Bool in
            guard !isClosed else { return false }
            var topic: (name: String, handle: OpaquePointer?)?
            for index in messages.indices {
                let message = messages[index]
                if topic?.name != message.topic { topic = (message.topic, topicHandle(message.topic)) }
                if let error = enqueue(message, on: handle, to: topic!.handle, opaque: batch.slots.baseAddress! + index) {
                    batch.refuse(index, error)
                }
            }
            return true
        }) ?? false
        if !enqueued {
            for index in messages.indices { batch.refuse(index, KafkaError(.closed, "the producer is closed; create a new one")) }
        }
    }

    /// Checks that a broker answers within `timeout`.
    ///
    /// - Throws: `KafkaError.Code.brokerUnreachable` with what to check.
    public func checkConnection(timeout: Duration = .seconds(5)) async throws {
        try await client.checkConnection(bootstrap: configuration.client.bootstrapServers.joined(separator: ","), timeout: timeout)
    }

    /// Waits until every outstanding record is delivered or failed, at most `timeout`.
    ///
    /// - Throws: `KafkaError` with `_TIMED_OUT` when records are still outstanding.
    public func flush(timeout: Duration = .seconds(10)) async throws {
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let err = try await client.blocking { rd_kafka_flush($0, milliseconds) }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.rdKafka(.delivery, "\(outstandingMessages) records still outstanding after \(timeout)", err)
        }
    }

    /// Runs until graceful shutdown, then flushes and closes.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Flushes (up to the message timeout), fails what is still queued, and destroys the client.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        do {
            try await flush(timeout: configuration.messageTimeout)
        } catch {
            logger.warning("closing the producer with undelivered records: \(error)")
        }
        _ = try? await client.blocking { [self] handle in
            // Fail whatever is left so no sender waits forever, then serve those reports; purged
            // in-flight records report asynchronously, so poll until all are in (at most 5 s).
            rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
            poller.stopAndWait()
            let deadline = ContinuousClock.now + .seconds(5)
            repeat { rd_kafka_poll(handle, 50) } while limiter.outstanding > 0 && ContinuousClock.now < deadline
            destroyTopicHandles()
        }
        await client.destroy()
    }

    /// A producer dropped without `close()` still stops its thread and frees librdkafka's handle.
    deinit {
        guard !closed.load(ordering: .acquiring) else { return }
        let poller = poller
        let topicHandles = TopicHandles(handles: topics.withLock { Array($0.values) })
        client.destroyDetached {
            poller.stopAndWait()
            topicHandles.handles.forEach { rd_kafka_topic_destroy($0) }
        }
    }

    private func destroyTopicHandles() {
        topics.withLock { topics in
            for topic in topics.values { rd_kafka_topic_destroy(topic) }
            topics.removeAll()
        }
    }

    /// Hands one record to librdkafka; returns the error when it was refused.
    private func enqueue(
        _ message: KafkaProducerMessage, on handle: OpaquePointer, to topic: OpaquePointer?, opaque: UnsafeMutablePointer<DeliveryBatch.Slot>
    ) -> KafkaError? {
        guard let topic else {
            return KafkaError(.produce, "cannot create a handle for topic '\(message.topic)'")
        }
        var headers: OpaquePointer? = nil
        if !message.headers.isEmpty {
            headers = rd_kafka_headers_new(message.headers.count)
            // `withCString` reads a native string in place; passing the String as the `char *` argument would copy
            // it into a new array for every header of every record.
            for header in message.headers {
                header.key.withCString { key in
                    header.withValueBytes { value in
                        _ = rd_kafka_header_add(headers, key, -1, value?.baseAddress, value?.count ?? 0)
                    }
                }
            }
        }
        let partition = message.partition ?? RD_KAFKA_PARTITION_UA
        let err = message.value.withUnsafeBytes { value in
            message.withKeyBytes { key in
                otp_rd_kafka_produce(
                    handle, topic, partition, key.baseAddress, key.count,
                    value.baseAddress, value.count, headers, UnsafeMutableRawPointer(opaque))
            }
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            if let headers { rd_kafka_headers_destroy(headers) }
            return .rdKafka(.produce, "record to '\(message.topic)' refused", err)
        }
        return nil
    }

    /// The cached topic handle; call only while holding the client's handle (`withHandle`).
    private func topicHandle(_ name: String) -> OpaquePointer? {
        topics.withLock { topics in
            if let handle = topics[name] { return handle }
            let handle = rd_kafka_topic_new(client.handle, name, nil)
            topics[name] = handle
            return handle
        }
    }
}

/// Topic handles handed to the clean-up of a dropped producer.
private struct TopicHandles: @unchecked Sendable {
    // @unchecked: the producer that used them is gone; only the clean-up touches them.
    let handles: [OpaquePointer]
}
