import Activation
import Basics
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Suppliers
import Synchronization

/// `otppool worker`: consumes activation requests and commands, keeps many activations in flight
/// per partition, runs their durable follow-ups, and publishes their lifecycle events.
///
/// An input's offset is stored only when all its effects are durable (the PostgreSQL step, the
/// events and follow-ups acknowledged by the broker), and only as part of the contiguous-done
/// watermark of its partition. Undecodable input is recorded in PostgreSQL (`dead_letters`) and goes to the
/// dead-letter topic with a reason (``DeadLetterRecorder``).
public final class ActivationWorker: Service, Sendable {
    private let configuration: ActivationWorkerConfiguration
    private let consumer: KafkaConsumer
    private let scheduler: FollowUpScheduler
    private let engine: ActivationEngine
    /// The engine's store and publisher, as themselves: the outbox relay and the refusals use them beside it.
    private let store: ActivationStore
    private let publisher: EventPublisher
    private let reconciler: SupplierReconciler
    private let tracker: InFlightTracker
    private let running = InFlightCounter()
    private let decoder: WireDecoder
    private let deadLetters: DeadLetterRecorder
    private let joined = Atomic<Bool>(false)
    /// Held while a flow decision is made and applied, so pauses and resumes reach librdkafka in the order they
    /// were decided (the consume loop, finishing inputs and admission all decide).
    private let flowOrder = Mutex<Void>(())
    /// How fast new requests are taken in (see ``AdmissionRate``), set by ``admitWhileOnTime()``.
    private let admission = Mutex(AdmissionRate())
    /// Requests read and begun, waiting for the admission rate and a slot (``startAdmitted()``): they wait as
    /// records, not as tasks, so a burst costs a few hundred bytes a request until it runs.
    private let admissionQueue: AsyncStream<ReadRequest>
    private let admissionSink: AsyncStream<ReadRequest>.Continuation
    /// Requests waiting in ``admissionQueue``.
    private let awaitingAdmission = Atomic<Int>(0)
    /// Request partitions newly given to this worker, whose activations' follow-ups are armed again from the
    /// database (``restoreFollowUps()``).
    private let restoreQueue: AsyncStream<Set<Int32>>
    private let restoreSink: AsyncStream<Set<Int32>>.Continuation
    /// Requests running at once: at most ``InFlightLimits/total``; a slot is taken before a request's task exists.
    private let requestSlots: AsyncLimiter
    /// This worker's part of the suppliers' rate limits, kept in proportion to its request partitions; nil when
    /// the gateway's clients use the whole limit.
    private let rateShare: RateShare?
    /// Whether follow-ups are co-partitioned with the requests, decided as ``run()`` starts.
    private let placement = FollowUpPlacement()
    private let logger: Logger

    /// - Parameters:
    ///   - producer: shared for events, dead letters and follow-ups; closed by its owner after the worker.
    ///   - rateShare: the share the gateway's clients were made with (``makeSupplierClient(_:httpClient:rateShare:logger:)``);
    ///     the worker keeps it at its part of the request partitions. Default: nil (each limit is the process's own).
    /// - Throws: `KafkaError` when a consumer property is invalid.
    public init(
        configuration: ActivationWorkerConfiguration, producer: KafkaProducer, store: ActivationStore,
        gateway: SupplierGateway, catalogue: Catalogue, rateShare: RateShare? = nil, logger: Logger
    ) throws {
        let publisher = EventPublisher(producer: producer, topics: configuration.topics, source: configuration.eventSource)
        let placement = self.placement
        let writer = FollowUpWriter(producer: producer, tiers: configuration.followUps.tiers, placement: placement)
        // Without a horizon nothing is kept in memory: no heap, timer or firing loop, and nothing read on assignment.
        let local = configuration.localFollowUpHorizon > .zero
            ? LocalFollowUps(writer: writer, horizon: configuration.localFollowUpHorizon, limit: configuration.followUps.limits.total)
            : nil
        let engine = ActivationEngine(
            store: store, gateway: gateway, catalogue: catalogue, publisher: publisher, policy: configuration.policy,
            stallTimeout: configuration.stallTimeout, commandWait: configuration.commandWait,
            followUps: local ?? writer,
            matcher: ActiveListMatcher(gateway: gateway, store: store, catalogue: catalogue),
            bulkStatusChecks: configuration.bulkStatusChecks, cachedActivations: configuration.cachedActivations,
            logger: logger)
        let scheduler = try FollowUpScheduler(
            configuration: configuration.followUps, producer: producer, placement: placement, local: local, logger: logger,
            settled: { engine.hasEnded($0.requestID) }
        ) { followUp in
            try await engine.handle(followUp)
        }
        self.configuration = configuration
        self.consumer = try KafkaConsumer(configuration: configuration.consumer, logger: logger)
        self.scheduler = scheduler
        self.engine = engine
        self.store = store
        self.publisher = publisher
        self.reconciler = SupplierReconciler(
            store: store, gateway: gateway, grace: configuration.stallTimeout * 3, logger: logger)
        self.tracker = InFlightTracker(limits: configuration.inFlight)
        self.requestSlots = AsyncLimiter(limit: configuration.inFlight.total)
        (admissionQueue, admissionSink) = AsyncStream.makeStream()
        (restoreQueue, restoreSink) = AsyncStream.makeStream()
        let decoder = WireDecoder(limits: configuration.wireLimits)
        self.decoder = decoder
        self.deadLetters = DeadLetterRecorder(store: store, publisher: publisher, decoder: decoder)
        self.rateShare = rateShare
        self.logger = logger
    }

    /// Activations being processed right now (not counting those waiting for a follow-up).
    public var inFlight: Int { running.current }

    /// Inputs (requests and commands) this worker has processed to the end since it started; those
    /// handed back at shutdown are not counted.
    public var processedInputs: Int { running.completed }

    /// The request and command partitions this worker reads now (empty until it joined its group).
    public var assignedPartitions: [TopicPartition] { (try? consumer.assignment()) ?? [] }

    /// The request partitions among ``assignedPartitions``.
    private var ownedRequestPartitions: [TopicPartition] {
        assignedPartitions.filter { $0.topic == configuration.topics.requests }
    }

    /// The follow-up tier partitions this worker's scheduler reads now.
    public var followUpPartitions: [TopicPartition] { scheduler.assignedPartitions }

    /// Whether this worker's follow-ups are co-partitioned with the requests (decided as it starts: see
    /// ``ActivationWorkerConfiguration/coPartitionedFollowUps``).
    public var followUpsCoPartitioned: Bool { placement.isCoPartitioned }

    /// Whether the worker has joined its consumer group (readiness).
    public var hasJoined: Bool { joined.load(ordering: .relaxed) }

    /// The consumer group.
    public var group: String { configuration.consumer.groupID }

    /// Lag of the request and command partitions assigned to this worker.
    ///
    /// - Throws: `KafkaError` when the broker does not answer within `timeout`.
    public func lag(timeout: Duration = .seconds(5)) async throws -> [PartitionLag] {
        try await consumer.lag(timeout: timeout)
    }

    /// Partitions the request and command consumer, and the follow-up tier consumer, assigned again because
    /// librdkafka never started fetching them (``KafkaConsumer/fetchRestarts``).
    public var fetchRestarts: (requests: Int, followUps: Int) { (consumer.fetchRestarts, scheduler.consumer.fetchRestarts) }

    /// Lag of the follow-up tier partitions assigned to this worker's scheduler. A tier partition's lag counts the
    /// follow-ups not due yet as well as the late ones: it is the tier's backlog, not a fault by itself.
    ///
    /// - Throws: `KafkaError` when the broker does not answer within `timeout`.
    public func followUpLag(timeout: Duration = .seconds(5)) async throws -> [PartitionLag] {
        try await scheduler.consumer.lag(timeout: timeout)
    }

    /// Consumes until graceful shutdown, then drains in-flight work, commits and leaves the group.
    public func run() async throws {
        await placeFollowUps()
        try consumer.subscribe(topics: [configuration.topics.requests, configuration.topics.commands])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.scheduler.run() }
            // Until the inputs drained: their events' outbox rows are deleted to the last.
            let acknowledgements = Task { await self.engine.acknowledgements.run() }
            let housekeeping = Task {
                await withTaskGroup(of: Void.self) { loops in
                    loops.addTask { await self.sweepStalled() }
                    loops.addTask { await self.relayOutbox() }
                    loops.addTask { await self.reconciler.run(every: self.configuration.supplierReconcileInterval) }
                    loops.addTask { await self.admitWhileOnTime() }
                    loops.addTask { await self.startAdmitted() }
                    loops.addTask { await self.shareSupplierLimits() }
                    loops.addTask { await self.restoreFollowUps() }
                }
            }
            await cancelWhenGracefulShutdown { await self.consume() }
            // Requests still waiting for admission are handed back: not started, their offsets not stored.
            admissionSink.finish()
            restoreSink.finish()
            housekeeping.cancel()
            await housekeeping.value
            logger.info("draining in-flight activations", metadata: ["activations.in_flight": "\(running.current)"])
            if await !running.drain(timeout: configuration.drainTimeout) {
                logger.warning("handing back \(running.current) unfinished inputs; they are redelivered to the group")
            }
            // Looks waited for here end with the process; their follow-ups (or the next owner's sweep) make them.
            await engine.inlineLooks.cancelAll()
            // Events are handed to the producer without waiting for the broker: let it deliver them, so that their
            // outbox rows go with the last flush instead of being sent again by a relay.
            do {
                try await publisher.producer.flush(timeout: .seconds(5))
            } catch {
                logger.notice("events not delivered yet are left to the outbox relay: \(error)")
            }
            acknowledgements.cancel()
            await acknowledgements.value
            await consumer.close()
            scheduler.stop()
            try await group.waitForAll()
        }
    }

    /// Co-partitions follow-ups with the requests (``ActivationWorkerConfiguration/coPartitionedFollowUps``) when
    /// every tier topic has as many partitions as the requests topic; says why not otherwise. Asks the cluster up to
    /// five times, a second apart; without an answer the tiers are read by the group.
    private func placeFollowUps() async {
        guard configuration.coPartitionedFollowUps else { return }
        let requests = configuration.topics.requests
        for attempt in 1...5 {
            do {
                let wanted = try await consumer.partitionCount(topic: requests)
                var differing: [String] = []
                for tier in configuration.followUps.tiers.topics {
                    let count = try await consumer.partitionCount(topic: tier)
                    if count != wanted { differing.append("\(tier) has \(count)") }
                }
                guard differing.isEmpty else {
                    logger.notice(
                        "follow-ups are read by the group \(configuration.followUps.consumer.groupID), not by the owner of their request's partition: \(requests) has \(wanted) partitions, \(differing.joined(separator: ", ")); give the tier topics \(wanted) partitions each to co-partition them")
                    return
                }
                placement.coPartition(partitions: wanted)
                logger.info("follow-ups co-partitioned with \(requests) (\(wanted) partitions)")
                return
            } catch {
                guard attempt < 5 else {
                    logger.warning("cannot read the topics' partition counts (\(error)); follow-ups are read by the group \(configuration.followUps.consumer.groupID)")
                    return
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Keeps ``rateShare`` at this worker's part of the request partitions, checked every two seconds (the
    /// topic's partition count once a minute).
    private func shareSupplierLimits() async {
        guard let rateShare else { return }
        var partitions: (count: Int, readAt: ContinuousClock.Instant)?
        while !Task.isCancelled {
            do {
                let total: Int
                if let partitions, ContinuousClock.now - partitions.readAt < .seconds(60) {
                    total = partitions.count
                } else {
                    total = try await consumer.partitionCount(topic: configuration.topics.requests)
                    partitions = (total, .now)
                }
                let owned = ownedRequestPartitions.count
                let before = rateShare.value
                let share = rateShare.set(owned: owned, of: total)
                if share != before {
                    logger.info(
                        "supplier rate limits: this worker now takes \((share * 100).formatted(.number.precision(.fractionLength(0...1))))%",
                        metadata: ["partitions.owned": "\(owned)", "partitions.total": "\(total)"])
                }
                PoolMetrics.supplierRateShare(share)
                try await Task.sleep(for: .seconds(2))
            } catch is CancellationError {
                return
            } catch {
                logger.notice("the requests topic's partition count is unknown; the supplier rate share stays at \(rateShare.value): \(error)")
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }

    /// The liveness rule: resumes the stalled activations of the request partitions this worker owns, and those of
    /// any partition stalled three times as long, every third of the stall timeout.
    private func sweepStalled() async {
        let interval = max(.seconds(1), configuration.stallTimeout / 3)
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
                let owned = ownedRequestPartitions.map(\.partition)
                guard !owned.isEmpty else { continue }
                // A wake-up as late as every follow-up of a pool behind on its work is not lost: resuming those
                // added a storm of resumes (hundreds a minute at 10,000 `ambiguous`) to the work that made it late.
                let behind = scheduler.recentLateness
                try await engine.resumeStalled(partitions: owned, after: configuration.stallTimeout + behind)
                // A member that died keeps its partitions until its session times out; an activation stalled three
                // times as long is taken over by any member (the fencing epoch keeps a late owner out).
                try await engine.resumeStalled(partitions: nil, after: configuration.stallTimeout * 3 + behind)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("stalled-activation sweep failed; retrying next round: \(error)")
            }
        }
    }

    /// Arms the follow-ups that the activations of newly owned request partitions wait for, from their stored
    /// snapshots: the worker that had a partition may have kept them in memory (``LocalFollowUps``) and died. A
    /// duplicate of one in a tier is stale when it fires and does nothing. A partition whose read fails is tried
    /// again three times; after that its activations are the stalled-activation sweep's.
    private func restoreFollowUps() async {
        for await partitions in restoreQueue {
            for attempt in 1...4 {
                do {
                    let armed = try await engine.restoreFollowUps(partitions: partitions)
                    logger.info(
                        "armed \(armed) follow-up(s) of the activations in newly owned partitions",
                        metadata: ["kafka.partitions": "\(partitions.sorted())"])
                    break
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("cannot arm the follow-ups of newly owned partitions (try \(attempt) of 4): \(error)")
                    do { try await Task.sleep(for: .seconds(attempt)) } catch { return }
                }
            }
        }
    }

    /// Sends the outbox's events that their step's publisher did not get acknowledged (broker down, worker
    /// died between commit and produce), once a second.
    private func relayOutbox() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(1))
                let due = try await store.claimDueOutboxEvents(topic: configuration.topics.events)
                guard !due.isEmpty else { continue }
                do {
                    try await publisher.publish(due)
                } catch {
                    try await store.retryOutboxEvents(due.map(\.eventID), after: .seconds(2))
                    throw error
                }
                try await store.deleteOutboxEvents(due.map(\.eventID))
                PoolMetrics.outboxResent(due.count)
                logger.notice("outbox relay sent \(due.count) event(s) again")
            } catch is CancellationError {
                return
            } catch {
                logger.warning("outbox relay failed; the events stay and are sent again: \(error)")
            }
        }
    }

    /// Admission: while follow-ups fire later than `admissionLateness` (a pool saturated by what it took in), new
    /// requests wait in Kafka, where they hold no number and no money, so that the activations already bought — their
    /// polls, cancels, and the reconciliation of purchases whose answer was lost — stay on time. Requests are read
    /// again once follow-ups are back within half that lateness, at the pace of the ``AdmissionRate``, which is cut
    /// while they run later than half of it and grows while they are within a quarter (fast while they are within an
    /// eighth and at most a quarter of the in-flight bound is in use: the pool is calm, and until that quarter is in
    /// use requests do not wait for the rate at all); commands are always read.
    private func admitWhileOnTime() async {
        let requests = configuration.topics.requests
        let limit = configuration.admissionLateness
        var held = false
        PoolMetrics.admission(held: false)
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(250)) } catch { return }
            let lateness = scheduler.recentLateness
            let now = Self.milliseconds()
            // The rate brakes at half the lateness that holds admission, and grows only below a quarter: what it
            // let in shows in the lateness seconds later (the queued work of 10,000 `ambiguous` pushed follow-ups
            // 8–11 s late each time it grew until the holding lateness).
            let calmBound = requestSlots.limit / 4
            let outstanding = requestSlots.outstanding
            let calm = lateness <= limit / 8 && outstanding <= calmBound
            let rate = admission.withLock { rate in
                if lateness > limit / 2 { rate.late(now: now) } else if lateness <= limit / 4 { rate.onTime(now: now, calm: calm) }
                rate.calmRoom = calm ? calmBound - outstanding : 0
                return rate.perSecond
            }
            PoolMetrics.admissionRate(rate)
            if !held, lateness > limit {
                held = true
                changeFlow { tracker.hold(topic: requests) }
                PoolMetrics.admission(held: true)
                logger.notice("follow-ups fire \(lateness) late (limit \(limit)): new requests wait in Kafka until they are on time")
            } else if held, lateness <= limit / 2 {
                held = false
                changeFlow { tracker.release(topic: requests) }
                PoolMetrics.admission(held: false)
                logger.notice("follow-ups on time again (\(lateness) late): reading new requests")
            }
        }
    }

    private func consume() async {
        var joined = false
        // The request partitions owned now, whose follow-ups the scheduler reads when co-partitioned.
        var owned = Set<Int32>()
        let requests = { (partitions: [TopicPartition]) in
            partitions.filter { $0.topic == self.configuration.topics.requests }.map(\.partition)
        }
        for await event in consumer.events {
            switch event {
            case .partitionsAssigned(let partitions):
                if !joined {
                    joined = true
                    self.joined.store(true, ordering: .relaxed)
                    logger.notice("joined the group; consuming", metadata: ["kafka.group": "\(configuration.consumer.groupID)"])
                }
                changeFlow { tracker.assign(partitions) }
                let given = Set(requests(partitions)).subtracting(owned)
                owned.formUnion(given)
                scheduler.follow(requestPartitions: owned)
                if scheduler.local != nil, followUpsCoPartitioned, !given.isEmpty { restoreSink.yield(given) }
            case .partitionsRevoked(let partitions):
                changeFlow { tracker.revoke(partitions) }
                owned.subtract(requests(partitions))
                scheduler.follow(requestPartitions: owned)
            case .messages(let batch):
                for message in batch { begin(message) }
            }
        }
    }

    /// Begins a record: a command runs at once (commands are always read), a request waits its turn in the
    /// ``admissionQueue``.
    private func begin(_ message: KafkaMessage) {
        PoolMetrics.consumed(topic: message.topic)
        let ticket = changeFlow { tracker.begin(message) }
        guard message.topic == configuration.topics.requests else { return run(message, ticket: ticket, holdsSlot: false) }
        PoolMetrics.awaitingAdmission(awaitingAdmission.add(1, ordering: .relaxed).newValue)
        admissionSink.yield(ReadRequest(message: message, ticket: ticket, readAt: .now))
    }

    /// A request read from its topic, waiting in the ``admissionQueue``.
    private struct ReadRequest: Sendable {
        var message: KafkaMessage
        var ticket: ProgressTicket
        var readAt: ContinuousClock.Instant
    }

    /// Starts the queued requests in order, each once the admission rate lets it in and a slot is free, until
    /// cancelled (the worker stops consuming; what still waits is handed back). A request whose partition was
    /// revoked meanwhile is skipped: it is redelivered to the partition's owner.
    private func startAdmitted() async {
        for await read in admissionQueue {
            let (message, ticket) = (read.message, read.ticket)
            PoolMetrics.awaitingAdmission(awaitingAdmission.subtract(1, ordering: .relaxed).newValue)
            guard await admitted() else { return }
            do { try await requestSlots.acquireUnlessCancelled() } catch { return }
            if Task.isCancelled {
                requestSlots.release()
                return
            }
            guard tracker.isCurrent(ticket) else {
                requestSlots.release()
                continue
            }
            PoolMetrics.requestStarted(waitedSince: message.timestamp, admissionWait: .now - read.readAt)
            run(message, ticket: ticket, holdsSlot: true)
        }
    }

    /// Processes a begun record in a task of its own and stores its offset once done.
    private func run(_ message: KafkaMessage, ticket: ProgressTicket, holdsSlot: Bool) {
        running.enter()
        Task {
            // Until the activation's own trace takes over, what is logged for the input names the trace it came in.
            let done = await TraceScope.$current.withValue(TraceContext(message: message)) { await processUntilDone(message) }
            defer {
                running.leave(completed: done)
                if holdsSlot { requestSlots.release() }
            }
            guard done else { return }
            let offsets = changeFlow { tracker.finish(ticket) }
            do { try consumer.storeOffsets(offsets) } catch { logger.debug("offsets not stored: \(error)") }
        }
    }

    /// Waits until the admission rate lets the next request in; false when cancelled first.
    private func admitted() async -> Bool {
        while let wait = admission.withLock({ $0.take(now: Self.milliseconds()) }) {
            do { try await Task.sleep(for: .milliseconds(min(wait, 250))) } catch { return false }
        }
        return true
    }

    /// A monotonic clock in milliseconds, for the admission rate.
    private static func milliseconds() -> Int64 {
        Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
    }

    /// Processes one input, retrying transient failures (database down, broker unreachable) with
    /// back-off; returns `false` when the worker is shutting down first, so the input is redelivered.
    /// An input that fails for any other reason goes to the dead-letter topic with the error, so
    /// one bad record never blocks its partition and nothing is silently dropped.
    private func processUntilDone(_ message: KafkaMessage) async -> Bool {
        var backoff = Backoff(maximum: .seconds(5))
        while true {
            do {
                try await process(message)
                return true
            } catch where !Self.isTransient(error) {
                logger.error(
                    "input failed and goes to the dead-letter topic: \(error)",
                    metadata: ["request.id": "\(message.keyString ?? "?")", "kafka.partition": "\(message.partition)", "kafka.offset": "\(message.offset)"])
                do {
                    try await deadLetters.deadLetter(message, reason: RejectionReason("processing_failed", "\(error)"))
                    return true
                } catch {
                    logger.warning("dead-lettering failed, retrying in \(backoff.delay): \(error)")
                }
                do { try await backoff.wait() } catch { return false }
            } catch {
                logger.warning(
                    "processing failed, retrying in \(backoff.delay): \(error)",
                    metadata: ["request.id": "\(message.keyString ?? "?")", "kafka.partition": "\(message.partition)", "kafka.offset": "\(message.offset)"])
                do { try await backoff.wait() } catch { return false }
                if Task.isCancelled { return false }
            }
        }
    }

    private func process(_ message: KafkaMessage) async throws {
        if message.topic == configuration.topics.commands {
            let command: ActivationCommand
            do {
                command = try decoder.decodeCommand(message.value)
            } catch {
                return try await refuse(message, error, requestID: error.requestID)
            }
            try await engine.handle(command, incoming: TraceContext(message: message))
        } else {
            let request: ActivationRequest
            do {
                request = try decoder.decodeRequest(message.value)
            } catch {
                return try await refuse(message, error, requestID: error.requestID, accountID: error.accountID, service: error.service)
            }
            try await engine.intake(request, partition: message.partition, incoming: TraceContext(message: message))
        }
    }

    /// Undecodable input: to the dead-letter topic, and a `rejected` event where a request ID is readable.
    private func refuse(_ message: KafkaMessage, _ rejection: WireRejection, requestID: String?, accountID: String? = nil, service: String? = nil) async throws {
        logger.notice(
            "input refused: \(rejection.reason)",
            metadata: ["kafka.topic": "\(message.topic)", "kafka.offset": "\(message.offset)", "request.id": "\(requestID ?? "-")"])
        try await deadLetters.deadLetter(message, reason: rejection.reason)
        if let requestID, message.topic == configuration.topics.requests {
            try await publisher.publish(
                [.rejected(requestID: requestID, accountID: accountID, service: service, reason: rejection.reason, at: Date())],
                trace: TraceContext.continuing(TraceContext(message: message)))
        }
    }

    /// Failures worth retrying rather than dead-lettering: a broker that is down, and every database failure —
    /// a restart, a full disk (53100), a statement timeout (57014) — because the input may belong to a live
    /// activation with a number bought and money held; dropping it would strand both.
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let error as PoolStoreError: error.isRetriable || error.code == .concurrentChange || error.code == .database
        case let error as KafkaError: error.isRetriable
        default: false
        }
    }

    /// Makes a flow decision and applies it, in order with every other.
    private func changeFlow(_ decide: () -> FlowControl) {
        changeFlow { ((), decide()) }
    }

    /// Makes a flow decision that comes with a value (a ticket, offsets to store), applies it in order with every
    /// other, and returns the value.
    private func changeFlow<Value: Sendable>(_ decide: () -> (Value, FlowControl)) -> Value {
        flowOrder.withLock { _ in
            let (value, flow) = decide()
            if !flow.isEmpty {
                do { try flow.apply(to: consumer) } catch { logger.debug("flow control not applied: \(error)") }
            }
            return value
        }
    }
}
