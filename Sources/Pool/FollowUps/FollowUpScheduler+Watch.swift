import Kafka
import Logging

extension FollowUpScheduler {
    /// A job the scheduler runs now, for the liveness watch.
    struct RunningJob: Sendable {
        var followUp: ScheduledFollowUp
        var kind: String
        var startedAt: Int64
    }

    /// How often the watch looks, and how late a head or how long a job must be before it says so.
    static let watchInterval: Duration = .seconds(15)
    static let overdueHeadReport: Int64 = 30_000
    static let longJobReport: Int64 = 60_000

    /// Runs `body` for a job, recorded among the running jobs while it runs.
    func tracking(_ job: FollowUpJob, _ body: () async -> Void) async {
        let (ticket, record, kind) = switch job {
        case .fire(let taken): (taken.ticket, taken.record, "fire")
        case .requeue(let taken): (taken.ticket, taken.record, "requeue")
        }
        runningJobs.withLock { $0[ticket] = RunningJob(followUp: record.followUp, kind: kind, startedAt: Self.now()) }
        defer { _ = runningJobs.withLock { $0.removeValue(forKey: ticket) } }
        await body()
    }

    /// The liveness watch: every ``watchInterval`` it warns about tier partitions whose head waits long past its
    /// time and about jobs (handlers, requeues) running for more than a minute. Either stalls every activation
    /// whose follow-ups the partition carries, so the log says which and why instead of leaving it to be guessed.
    func watch() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.watchInterval) } catch { return }
            let now = Self.now()
            for head in state.withLock({ $0.overdueHeads(now: now, after: Self.overdueHeadReport) }) {
                let paused = appliedPauses.withLock { $0.contains(head.partition) }
                logger.warning(
                    "follow-up partition stalled: \(head); paused in the consumer: \(paused)",
                    metadata: ["kafka.partition": "\(head.partition)"])
            }
            for (ticket, job) in runningJobs.withLock({ $0 }) where now - job.startedAt > Self.longJobReport {
                logger.warning(
                    "follow-up job running for \((now - job.startedAt) / 1_000) s (\(job.kind)); its partition's offsets wait for it",
                    metadata: [
                        "request.id": "\(job.followUp.requestID)", "followup.id": "\(job.followUp.id)",
                        "followup.kind": "\(job.followUp.kind)", "kafka.partition": "\(ticket.partition)",
                        "kafka.offset": "\(ticket.offset)",
                    ])
            }
        }
    }
}
