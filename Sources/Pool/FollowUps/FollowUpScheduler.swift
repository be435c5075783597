import Basics
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Durable follow-ups in Kafka: "run this for request R at time T", surviving crashes and
/// rebalances, with no task sleeping per follow-up and bounded memory.
///
/// ``schedule(_:)`` writes a follow-up to a delay tier topic (see ``FollowUpTiers``); ``run()`` reads
/// the tiers as a member of a consumer group, or, co-partitioned (``FollowUpPlacement``), the tier partitions its
/// worker names (``follow(requestPartitions:)``), holds each partition paused until its head is due,
/// and calls the handler when a follow-up is due. A record's offset is stored only after the handler
/// returned, or after the record was durably requeued, so delivery is at least once: after a crash
/// or rebalance a follow-up can fire again, with the same ``ScheduledFollowUp/id``. Handlers must be
/// idempotent.
///
/// A handler that throws is retried: the follow-up is written again, due after a back-off that
/// doubles per retry (``FollowUpSchedulerConfiguration/retryBackoff`` up to `maxRetryBackoff`), with
/// ``ScheduledFollowUp/retries`` counting the failures. It is never dropped; a handler that wants
/// to give up returns normally.
public final class FollowUpScheduler: Service, Sendable {
    /// Runs a due follow-up. Must be idempotent; throw to have it retried after a back-off.
    public typealias Handler = @Sendable (ScheduledFollowUp) async throws -> Void
    /// Whether a follow-up can no longer matter (its activation has ended), answered from memory.
    public typealias Settled = @Sendable (ScheduledFollowUp) -> Bool

    let configuration: FollowUpSchedulerConfiguration
    let producer: KafkaProducer
    /// Writes requeues and ``schedule(_:)``'s follow-ups into their tiers.
    let writer: FollowUpWriter
    let consumer: KafkaConsumer
    /// Follow-ups due soon kept in memory, fired here too; nil when all go through the tiers.
    let local: LocalFollowUps?
    let handler: Handler
    let settled: Settled
    let logger: Logger
    let state: Mutex<TierConsumerState>
    let timer = WakeUpTimer(label: "otppool.followups.timer")
    let latenessWindow = LatenessWindow()
    /// The partitions paused in librdkafka; its lock also orders pause and resume calls.
    let appliedPauses = Mutex<Set<TopicPartition>>([])
    /// Whether the consumer is closed; its lock keeps offsets from being stored into a closed consumer.
    let consumerClosed = Mutex(false)
    let jobs: AsyncStream<FollowUpJob>
    let jobSink: AsyncStream<FollowUpJob>.Continuation
    let eventsTask = Mutex<Task<Void, Never>?>(nil)
    /// The jobs running now, for the liveness watch.
    let runningJobs = Mutex<[ProgressTicket: RunningJob]>([:])

    /// Creates a scheduler with its own tier consumer; it reads nothing until ``run()``.
    ///
    /// - Parameters:
    ///   - producer: writes follow-ups and requeues; shared with the worker, closed by its owner.
    ///   - placement: shared with whoever schedules follow-ups for these tiers; co-partitioned when ``run()`` starts,
    ///     the scheduler reads what ``follow(requestPartitions:)`` names instead of joining a group. Default: by
    ///     request ID, in a group.
    ///   - local: shared with whoever schedules follow-ups (it keeps those it can, see ``LocalFollowUps``); fired
    ///     here, handed to the tiers for the partitions this scheduler stops following. Default: none.
    ///   - settled: asked when a tier releases a follow-up that is not due yet: one it calls settled is dropped
    ///     there instead of written to the next tier, which saves a waiting window's chain of hops (2m → 2m → 30s →
    ///     30s …) once its activation has ended. Default: none is.
    ///   - handler: runs each due follow-up.
    /// - Throws: `KafkaError` when the consumer configuration is invalid.
    public init(
        configuration: FollowUpSchedulerConfiguration, producer: KafkaProducer,
        placement: FollowUpPlacement = FollowUpPlacement(), local: LocalFollowUps? = nil, logger: Logger,
        settled: @escaping Settled = { _ in false }, handler: @escaping Handler
    ) throws {
        self.configuration = configuration
        self.producer = producer
        self.writer = FollowUpWriter(producer: producer, tiers: configuration.tiers, placement: placement)
        self.consumer = try KafkaConsumer(configuration: configuration.consumer, logger: logger)
        self.local = local
        self.handler = handler
        self.settled = settled
        self.logger = logger
        self.state = Mutex(
            TierConsumerState(
                limits: configuration.limits, readAhead: configuration.readAhead.milliseconds,
                horizon: configuration.tiers.horizon.milliseconds,
                tolerance: configuration.tolerance.milliseconds))
        (jobs, jobSink) = AsyncStream.makeStream(of: FollowUpJob.self)
    }

    /// How late follow-ups fired recently, each counted from its partition's assignment to this member if that was
    /// later.
    public var lateness: FollowUpLateness { latenessWindow.snapshot }

    /// How far behind its own clock the pool runs now: the worst lateness of the follow-ups fired in the last second
    /// or two, or of a head past its time that waits for the in-flight bound, whichever is worse (zero when nothing
    /// is due). A saturated pool fires nothing while its bound is full; counting only firings called it on time then,
    /// and admission let new requests in on top of follow-ups minutes late. Each is counted from when this member was
    /// given the partition: a record a dead member left behind was late before this one could fire it, and reading
    /// that as saturation throttled `kill` to one request a second.
    public var recentLateness: Duration {
        let now = Self.now()
        let waiting = state.withLock { $0.worstHeadLateness(now: now) }
        return max(latenessWindow.recentWorst(at: now), .milliseconds(waiting))
    }

    /// Follow-ups taken from the tiers and not finished (waiting in memory, firing, requeueing), and those kept in
    /// memory without the tiers (``LocalFollowUps``).
    public var inFlight: Int { state.withLock { $0.inFlight } + (local?.count ?? 0) }

    /// The tier partitions this member reads now (empty until it joined its group).
    public var assignedPartitions: [TopicPartition] { state.withLock { $0.assigned } }

    /// Schedules one follow-up; returns once it is durably in its tier.
    ///
    /// - Throws: `KafkaError` when it could not be written; nothing was scheduled, so try again.
    public func schedule(_ followUp: ScheduledFollowUp) async throws {
        try await schedule([followUp])
    }

    /// Schedules follow-ups as one batch (see ``FollowUpWriter/schedule(_:)``).
    public func schedule(_ followUps: [ScheduledFollowUp]) async throws {
        try await writer.schedule(followUps)
    }

    /// Reads the tiers and fires follow-ups until graceful shutdown, cancellation or ``stop()``;
    /// then lets running handlers finish, commits and leaves the group.
    ///
    /// - Throws: `KafkaError` when subscribing to the tier topics fails.
    public func run() async throws {
        if !writer.placement.isCoPartitioned { try consumer.subscribe(topics: configuration.tiers.topics) }
        timer.start { [weak self] in self?.tick() }
        let events = Task { await self.consumeEvents() }
        eventsTask.withLock { $0 = events }
        if state.withLock({ $0.isStopping }) { events.cancel() }
        await withTaskCancellationOrGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let watch = Task { await self.watch() }
                defer { watch.cancel() }
                if let local {
                    group.addTask {
                        await withDiscardingTaskGroup { firing in
                            for await work in local.work {
                                switch work {
                                case .fire(let entry):
                                    firing.addTask { await self.fire(entry) }
                                case .handOver(let followUps):
                                    firing.addTask { await self.handOver(followUps, why: "their partitions went to another worker") }
                                }
                            }
                        }
                    }
                }
                for await job in jobs {
                    group.addTask { await self.tracking(job) { await self.perform(job) } }
                }
            }
        } onCancelOrGracefulShutdown: {
            self.stop()
        }
        await events.value
        if let local { await handOver(local.remaining(), why: "the worker stops") }
        consumerClosed.withLock { $0 = true }
        await consumer.close()
        logger.info("follow-up scheduler stopped", metadata: ["followups.lateness": "\(lateness)"])
    }

    /// Co-partitioned (``FollowUpPlacement``): reads from now on the tier partitions numbered as these requests
    /// partitions, the ones the worker owns; call it after every change of the worker's assignment. Partitions
    /// dropped are handed over as in a rebalance (their stored offsets committed), so their next reader starts where
    /// this one stopped. Does nothing when the tiers are read by a group.
    public func follow(requestPartitions: Set<Int32>) {
        guard writer.placement.isCoPartitioned else { return }
        local?.own(requestPartitions)
        let partitions = requestPartitions.compactMap(writer.placement.tierPartition(for:))
        consumer.assign(Set(configuration.tiers.topics.flatMap { topic in
            partitions.map { TopicPartition(topic: topic, partition: $0) }
        }))
    }

    /// Stops taking follow-ups: ``run()`` returns once running handlers are done. Follow-ups not
    /// fired yet stay in Kafka for the group's other members or the next start.
    public func stop() {
        state.withLock { $0.stop() }
        local?.stop()
        timer.stop()
        jobSink.finish()
        eventsTask.withLock { $0 }?.cancel()
    }

    /// Writes follow-ups kept in memory to their tiers, for whoever reads their partitions next; one not written is
    /// armed again from the database by that reader (``LocalFollowUps``), or the stalled-activation sweep's.
    func handOver(_ followUps: [ScheduledFollowUp], why: String) async {
        guard !followUps.isEmpty else { return }
        for attempt in 1...3 {
            do {
                try await writer.schedule(followUps)
                logger.info("\(followUps.count) follow-up(s) kept in memory written to their tiers: \(why)")
                return
            } catch {
                logger.warning("cannot write \(followUps.count) follow-up(s) kept in memory to their tiers (try \(attempt) of 3): \(error)")
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    static func now() -> Int64 { Date().epochMilliseconds }
}
