import Activation
import Basics
import Escalation
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// `otppool escalation`: reads lifecycle events in its own consumer group, turns those the rules select into
/// evidence records in PostgreSQL, and sweeps for activations that never ended.
///
/// Batches are processed in order (within one, a request's events in order, up to ``recordsAtOnce`` requests side
/// by side) and their offsets stored only once every record of the batch is written,
/// so a crash replays events, and replays change nothing (``Escalation/merging(_:evidence:at:)``). An event
/// that does not decode is skipped with a log line and counted, never retried and never fatal.
public final class EscalationWorker: Service, Sendable {
    private let configuration: EscalationWorkerConfiguration
    private let consumer: KafkaConsumer
    private let store: ActivationStore
    private let recorder: EscalationRecorder
    private let counters = EscalationCounters()
    private let joined = Atomic<Bool>(false)
    private let logger: Logger

    /// - Throws: `KafkaError` when a consumer property is invalid.
    public init(configuration: EscalationWorkerConfiguration, store: ActivationStore, logger: Logger) throws {
        self.configuration = configuration
        self.consumer = try KafkaConsumer(configuration: configuration.consumer, logger: logger)
        self.store = store
        self.recorder = EscalationRecorder(store: store, rules: configuration.rules, logger: logger)
        self.logger = logger
    }

    /// The counters since start.
    public var statistics: EscalationStatistics { counters.snapshot }

    /// Whether the worker has joined its consumer group (readiness).
    public var hasJoined: Bool { joined.load(ordering: .relaxed) }

    /// The consumer group.
    public var group: String { configuration.consumer.groupID }

    /// Partitions its consumer assigned again because librdkafka never started fetching them
    /// (``KafkaConsumer/fetchRestarts``).
    public var fetchRestarts: Int { consumer.fetchRestarts }

    /// Lag of the events partitions assigned to this worker.
    ///
    /// - Throws: `KafkaError` when the broker does not answer within `timeout`.
    public func lag(timeout: Duration = .seconds(5)) async throws -> [PartitionLag] {
        try await consumer.lag(timeout: timeout)
    }

    /// Checks that a broker answers within `timeout` (start-up waits on it).
    public func checkConnection(timeout: Duration = .seconds(5)) async throws {
        try await consumer.checkConnection(timeout: timeout)
    }

    /// Consumes and sweeps until graceful shutdown, then commits and leaves the group.
    public func run() async throws {
        try consumer.subscribe(topics: [configuration.eventsTopic])
        await withTaskGroup(of: Void.self) { work in
            work.addTask { await cancelWhenGracefulShutdown { await self.consume() } }
            if configuration.sweep {
                work.addTask { await cancelWhenGracefulShutdown { await self.sweepPeriodically() } }
            }
        }
        // Commits the offsets of the batches recorded, then leaves the group.
        await consumer.close()
        logger.info("escalation worker stopped", metadata: ["escalation.statistics": "\(statistics)"])
    }

    private func consume() async {
        var joined = false
        for await event in consumer.events {
            guard case .messages(let batch) = event else {
                if !joined, case .partitionsAssigned = event {
                    joined = true
                    self.joined.store(true, ordering: .relaxed)
                    logger.notice("joined the group; consuming", metadata: ["kafka.group": "\(configuration.consumer.groupID)"])
                }
                continue
            }
            guard await handle(batch) else { return }
            var next: [TopicPartition: Int64] = [:]
            for message in batch { next[message.topicPartition] = max(next[message.topicPartition] ?? 0, message.offset + 1) }
            do { try consumer.storeOffsets(next) } catch { logger.debug("offsets not stored: \(error)") }
        }
    }

    /// Records the batch's escalations; false when shutdown came first (the batch is redelivered).
    ///
    /// The events of one request are recorded in order, those of different requests side by side, up to
    /// ``recordsAtOnce``: a record is a few reads and an upsert, each a round trip, and one at a time the worker fell
    /// behind a saturated pool for minutes (on the embedded broker, which keeps about 5 MB per partition, events it
    /// had not read yet were dropped: `kill-storm` with follow-ups kept in memory, stop 40).
    private func handle(_ batch: [KafkaMessage]) async -> Bool {
        let events = batch.compactMap(decode)
        // Requests escalated before get their evidence refreshed by later terminal events that match no rule.
        let terminal = events.filter { $0.kind.isTerminal }.map(\.requestID)
        guard let escalated = await persist("escalatedRequests", requestID: nil, { try await self.store.escalatedRequests(among: terminal) })
        else { return false }
        var byRequest: [String: [ActivationEvent]] = [:]
        var requests: [String] = []
        for event in events {
            if byRequest[event.requestID] == nil { requests.append(event.requestID) }
            byRequest[event.requestID, default: []].append(event)
        }
        let recorded = await withTaskGroup(of: Bool.self) { group in
            var running = 0
            var recorded = true
            for requestID in requests {
                if running == Self.recordsAtOnce, let done = await group.next() {
                    recorded = recorded && done
                    running -= 1
                }
                let events = byRequest[requestID] ?? []
                group.addTask { await self.record(events, escalated: escalated ?? []) }
                running += 1
            }
            for await done in group { recorded = recorded && done }
            return recorded
        }
        guard recorded else { return false }
        // Counted once the whole batch is recorded: a reader of the statistics sees only finished work.
        counters.update { $0.events += batch.count }
        PoolMetrics.escalationEvents(batch.count)
        return true
    }

    /// Requests whose events are recorded at once.
    static let recordsAtOnce = 8

    /// Records one request's events of a batch, in order; false when shutdown came first.
    private func record(_ events: [ActivationEvent], escalated: Set<String>) async -> Bool {
        for event in events {
            let refresh = event.kind.isTerminal && escalated.contains(event.requestID)
            guard let outcome = await persist("record", requestID: event.requestID, { try await self.recorder.record(event, refresh: refresh) })
            else { return false }
            if let change = outcome ?? nil {
                counters.update { $0.count(change) }
                PoolMetrics.escalationRecorded(change)
                if change != .unchanged {
                    logger.info("escalation \(change == .created ? "recorded" : "updated")",
                                metadata: ["request.id": "\(event.requestID)", "event.kind": "\(event.kind.rawValue)"])
                }
            }
        }
        return true
    }

    private func decode(_ message: KafkaMessage) -> ActivationEvent? {
        let problem: String
        do {
            let event = try WireFormat.makeDecoder().decode(ActivationEvent.self, from: message.value)
            if event.schemaVersion == WireFormat.schemaVersion, !event.requestID.isEmpty { return event }
            problem = "schema_version \(event.schemaVersion) (this build reads \(WireFormat.schemaVersion)) or empty request_id"
        } catch {
            problem = "\(error)"
        }
        counters.update { $0.skipped += 1 }
        PoolMetrics.escalationSkipped()
        logger.warning(
            "skipping a record that is not a lifecycle event: \(problem)",
            metadata: ["kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)", "kafka.offset": "\(message.offset)",
                       "request.id": "\(message.keyString ?? "-")"])
        return nil
    }

    /// Runs a store call, retrying transient failures with back-off until shutdown (then nil). A failure that
    /// does not pass by itself is logged and counted, and the call's result is `.some(nil)`: the event is
    /// skipped rather than blocking its partition for ever.
    private func persist<T: Sendable>(_ operation: String, requestID: String?, _ body: @Sendable () async throws -> T) async -> T?? {
        var backoff = Backoff(maximum: .seconds(5))
        while !Task.isCancelled {
            do {
                return .some(try await body())
            } catch let error as PoolStoreError where error.isRetriable || error.code == .concurrentChange {
                logger.warning("\(operation) failed, retrying in \(backoff.delay): \(error)", metadata: ["request.id": "\(requestID ?? "-")"])
            } catch is CancellationError {
                return nil
            } catch {
                counters.update { $0.failed += 1 }
                logger.error("\(operation) failed; the event is skipped: \(error)", metadata: ["request.id": "\(requestID ?? "-")"])
                return .some(nil)
            }
            do { try await backoff.wait() } catch { return nil }
        }
        return nil
    }

    private func sweepPeriodically() async {
        while !Task.isCancelled {
            _ = await sweep(at: Date())
            do { try await Task.sleep(for: configuration.rules.stuck.interval) } catch { return }
        }
    }

    /// Records every activation with no terminal event within its lifetime and grace; returns how many
    /// records it created or updated.
    @discardableResult
    public func sweep(at now: Date) async -> Int {
        let cutoff = now - configuration.rules.stuck.stuckAfter.seconds
        guard let stuck = await persist("unfinishedActivations", requestID: nil, {
            try await self.store.unfinishedActivations(createdBefore: cutoff, limit: 1_000)
        }), let stuck else { return 0 }
        var changed = 0
        for activation in stuck {
            guard let outcome = await persist("recordStuck", requestID: activation.requestID, {
                try await self.recorder.recordStuck(activation, at: now)
            }) else { break }
            if let change = outcome, change != .unchanged {
                changed += 1
                logger.notice("stuck activation escalated", metadata: ["request.id": "\(activation.requestID)", "activation.state": "\(activation.state.rawValue)"])
            }
        }
        if changed > 0 { counters.update { $0.stuck += changed } }
        return changed
    }
}
