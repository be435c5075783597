import Activation
import ArgumentParser
import Foundation
import Histogram
import Kafka
import Logging
import Pool
import Runtime

/// `otppool bench e2e`: the whole pool as processes — a standalone embedded broker, the supplier simulator and
/// W activation workers over PostgreSQL — driven by N activations; prints throughput, latency percentiles,
/// follow-up lateness, supplier calls and PostgreSQL statements per activation, worker memory and CPU.
struct E2EBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "End-to-end benchmark: broker, simulator and worker processes over PostgreSQL (needs postgres.url).",
        discussion: """
            --sms instant: codes are there at the first poll (throughput); realistic: log-normal, median 30 supplier \
            seconds at 60× time; never: no code ever — the run ends when every number is allocated and reports the \
            workers' memory with all activations waiting. --json prints one JSON object as the last line. Build with \
            `swift build -c release` and run the release binary.
            """)

    enum SMS: String, ExpressibleByArgument, CaseIterable { case instant, realistic, never }

    @Option(help: "Activations to submit.")
    var activations: Int = 10_000

    @Option(help: "Activation worker processes.")
    var workers: Int = 2

    @Option(help: "When codes arrive: instant, realistic or never.")
    var sms: SMS = .instant

    @Option(help: "Submit at this many activations per second (default: as fast as possible).")
    var offeredRate: Double?

    @Option(help: "Partitions of each topic.")
    var partitions: Int = 12

    @Option(help: "Workers' poll interval in seconds (default: 0.25 instant, 0.5 realistic, 60 never).")
    var pollInterval: Double?

    @Option(help: "Give up after this many seconds.")
    var timeout: Double = 900

    @Option(help: "The workers' fetch.wait.max.ms: librdkafka's mock broker answers an empty fetch only after this wait, even when records arrive meanwhile, so the default 500 ms adds up to half a second to every hop.")
    var fetchWaitMs: Int = 10

    @Option(help: "Records raw librdkafka in C produces (and reads back) on the run's broker before the run, to scale its throughput by the machine's (`activations_per_1000_c_msgs`); 0 skips it.")
    var cBaselineMessages: Int = 300_000

    @Option(help: "Path of the C baseline; default: kafka-bench-c next to this executable.")
    var cBaseline: String?

    @Option(name: .customLong("worker-set"), help: "Set a configuration key on every worker, e.g. --worker-set worker.in_flight_total=500 (repeatable; kafka.properties entries are added to the bench's own).")
    var workerAssignments: [String] = []

    @Flag(help: "Print one JSON object as the last line.")
    var json = false

    @Flag(help: "Keep the processes' logs (their folder is printed).")
    var keepLogs = false

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard activations >= 1, (1...64).contains(workers), (1...1_000).contains(partitions) else {
            throw ValidationError("--activations ≥ 1, --workers 1…64 and --partitions 1…1000, please.")
        }
        if let offeredRate, offeredRate <= 0 { throw ValidationError("--offered-rate must be positive.") }
        guard (0...10_000_000).contains(cBaselineMessages) else { throw ValidationError("--c-baseline-messages must be between 0 and 10,000,000.") }
        if cBaselineMessages == 1 { throw ValidationError("--c-baseline-messages must be 0 (no baseline) or at least 2.") }
    }

    /// The workers' `--set`s: the fetch wait, with the `kafka.properties` entries of `--worker-set` added to it,
    /// then every other `--worker-set` as given.
    var workerSettings: [String] {
        let prefix = "kafka.properties="
        let kafka = workerAssignments.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        return [prefix + (["fetch.wait.max.ms=\(fetchWaitMs)"] + kafka).joined(separator: ",")]
            + workerAssignments.filter { !$0.hasPrefix(prefix) }
    }

    /// The C baseline's record size: about an activation request's.
    static let cBaselineSize = 300

    func run() async throws {
        let settings = try await config.load(postgres.overrides, ["logging.level": (logging.logLevel ?? .warning).rawValue])
        _ = settings.logging.bootstrap("otppool.bench")
        let run = String(UUID().uuidString.prefix(8)).lowercased()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otppool-bench-\(run)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let account = "acct-bench-\(run)"
        // Migrates the database (the workers start with --no-migrate) and funds the account.
        let (postgresCPU, durable, sharedBuffers, storedBefore, walBefore) = try await settings.withStore(
            applicationName: "otppool-bench", logger: Logger.quiet
        ) { store in
            try await store.upsertAccount(Account(id: account, email: "bench@example.com", balanceMinor: Int64(activations) * 10_000))
            let settings = try? await store.pool.query(
                """
                SELECT current_setting('fsync') = 'on' AND current_setting('synchronous_commit') <> 'off' AS durable,
                       current_setting('shared_buffers') AS shared_buffers
                """
            ).single()
            // The figures fall as the database fills (every step writes a new row version): say how full it was.
            let stored = try? await store.pool.query("SELECT count(*) AS n FROM activations").single().decode("n", as: Int.self)
            return (
                await PostgresCPU.locate(store), try? settings?.decode("durable", as: Bool.self),
                try? settings?.decode("shared_buffers", as: String.self), stored, await PostgresWAL.read(store)
            )
        }
        if durable == false {
            Stage.say("PostgreSQL runs with fsync or synchronous_commit off: commits cost less than in a deployment (OTP_PG_DURABLE=1 scripts/pg.sh start)")
        }
        let baseline = cBaselineMessages > 0 ? try CBaseline(path: cBaseline) : nil
        let baselineTopic = TopicSpec(
            name: "bench\(run).c-baseline",
            partitions: CBaseline.partitions(messages: cBaselineMessages, size: Self.cBaselineSize, least: partitions))
        var options = BenchCluster.Options(
            partitions: partitions, simulatorYAML: Self.simulatorYAML(sms), workers: workers,
            pollInterval: pollInterval ?? (sms == .instant ? 0.25 : sms == .realistic ? 0.5 : 60),
            waitingWindow: sms == .never ? 3_000 : 300, workerSettings: workerSettings)
        if baseline != nil { options.extraTopics = [baselineTopic] }
        Stage.say("starting the broker (\(partitions) partitions per topic), the supplier simulator and \(workers) worker(s)")
        var cluster: BenchCluster?
        do {
            let started = try await BenchCluster(options: options, directory: directory, prefix: "bench\(run)", postgresURL: try settings.postgres().url)
            cluster = started
            let cRates = try baseline.map { baseline in
                Stage.say("raw librdkafka in C: producing and reading back \(cBaselineMessages) records on the run's broker")
                return try baseline.run(
                    bootstrap: started.client.bootstrapServers.joined(separator: ","), topic: baselineTopic.name,
                    messages: cBaselineMessages, size: Self.cBaselineSize)
            }
            var report = try await measure(started, account: account, run: run, postgresCPU: postgresCPU)
            report.postgresDurable = durable
            report.postgresSharedBuffers = sharedBuffers
            report.activationsStoredBefore = storedBefore
            report.cProducePerSecond = cRates?.produce
            await started.stop()
            // After the workers stopped: their sessions' WAL statistics are flushed when they end.
            if let walBefore, let walAfter = try? await settings.withStore(
                applicationName: "otppool-bench", migrate: false, logger: Logger.quiet, { await PostgresWAL.read($0) })
            {
                let wal = walAfter.perActivation(since: walBefore, activations: activations)
                report.walRecordsPerActivation = wal.records
                report.walBytesPerActivation = wal.bytes
            }
            print(report.text)
            if json { print(report.json) }
        } catch {
            await cluster?.stop()
            FileHandle.standardError.write(Data("bench e2e failed: \(error); logs in \(directory.path)\n".utf8))
            throw ExitCode.failure
        }
        if keepLogs { Stage.say("logs kept in \(directory.path)") } else { try? FileManager.default.removeItem(at: directory) }
    }

    private func measure(_ cluster: BenchCluster, account: String, run: String, postgresCPU: PostgresCPU?) async throws -> E2EReport {
        let workerProcesses = cluster.workerProcesses
        let cpuBefore = workerProcesses.map { $0.cpuSeconds ?? 0 }
        let postgresBefore = postgresCPU?.seconds
        let machineBefore = MachineCPU.now()
        let observer = try E2EObserver(
            client: cluster.client, topic: "\(cluster.prefix).events", reading: .headers, logger: Logger.quiet)
        let observing = Task { await observer.run() }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: cluster.client), logger: Logger.quiet)
        let requests = (0..<activations).map { index in
            ActivationRequest(
                requestID: "r\(run)-\(index)", idempotencyKey: "k\(run)-\(index)", accountID: account, service: "tg", countries: ["usa"],
                maxPrice: Money(amountMinor: 2_500, currency: "USD"), submittedAt: Date(), metadata: [:])
        }
        Stage.say("submitting \(activations) activations" + (offeredRate.map { " at \(Int($0))/s" } ?? " as fast as possible"))
        let submittedAt = try await Self.submit(requests, producer: producer, topic: "\(cluster.prefix).requests", rate: offeredRate)
        await producer.close()
        let firstSubmit = submittedAt.values.min() ?? Date()

        let progress = ProgressLine(label: sms == .never ? "allocated" : "ended", total: activations)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1_000))
        while ContinuousClock.now < deadline {
            let (allocated, ended) = observer.counts
            let done = sms == .never ? allocated : ended
            progress.set(done)
            if done >= activations { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        progress.finish()
        let seen = observer.snapshot
        let waitingRSS = sms == .never ? workerProcesses.map { $0.rssMegabytes ?? 0 } : nil
        let cpuAfter = workerProcesses.map { $0.cpuSeconds ?? 0 }
        let postgresAfter = postgresCPU?.seconds
        let machine = machineBefore.flatMap { before in MachineCPU.now()?.since(before) }
        let peakRSS = workerProcesses.map { $0.peakRSSMegabytes ?? 0 }
        await observer.stop()
        observing.cancel()
        let pages = try await cluster.workerMetrics()
        let done = sms == .never ? seen.allocatedAt.count : seen.ended.count
        guard done >= activations else {
            throw BenchError("only \(done) of \(activations) activations \(sms == .never ? "allocated" : "ended") within \(Int(timeout)) s")
        }

        var allocated = Histogram<UInt64>(highestTrackableValue: 3_600_000)
        var completed = Histogram<UInt64>(highestTrackableValue: 3_600_000)
        for (id, submitted) in submittedAt {
            if let at = seen.allocatedAt[id] { _ = allocated.record(Self.milliseconds(from: submitted, to: at)) }
            if let end = seen.ended[id], end.kind == .completed { _ = completed.record(Self.milliseconds(from: submitted, to: end.at)) }
        }
        let lastDone = (sms == .never ? Array(seen.allocatedAt.values) : seen.ended.values.map(\.at)).max() ?? Date()
        var outcomes: [String: Int] = [:]
        for end in seen.ended.values { outcomes[end.kind.rawValue, default: 0] += 1 }
        if sms == .never { outcomes["waiting_code"] = seen.allocatedAt.count - seen.ended.count }
        // A histogram's p99 over every worker, as the bound of its bucket, in milliseconds.
        let p99 = { (name: String, labels: [String: String]) -> Double? in
            var buckets: [Double: Double] = [:]
            for page in pages { buckets.merge(page.buckets(name, labels: labels)) { $0 + $1 } }
            return PrometheusText.quantileBound(buckets, 0.99).map { $0 * 1_000 }
        }
        return E2EReport(
            activations: activations, workers: workers, sms: sms.rawValue, offeredRate: offeredRate,
            activationsPerSecond: Double(activations) / max(0.001, lastDone.timeIntervalSince(firstSubmit)),
            allocated: allocated, completed: completed, outcomes: outcomes,
            latenessP99Milliseconds: p99("otppool_followup_lateness_seconds", [:]),
            requestWaitP99Milliseconds: p99("otppool_request_wait_seconds", [:]),
            admissionWaitP99Milliseconds: p99("otppool_admission_wait_seconds", [:]),
            purchaseCallP99Milliseconds: p99("otppool_supplier_call_duration_seconds", ["action": "purchase"]),
            supplierCallsPerActivation: pages.reduce(0) { $0 + $1.sum("otppool_supplier_calls_total") } / Double(activations),
            statementsPerActivation: pages.reduce(0) { $0 + $1.sum("otppool_postgres_statements_total") } / Double(activations),
            roundTripsPerActivation: pages.reduce(0) { $0 + $1.sum("otppool_postgres_round_trips_total") } / Double(activations),
            workerPeakRSS: peakRSS, waitingRSS: waitingRSS,
            cpuSecondsPer1000: zip(cpuAfter, cpuBefore).reduce(0) { $0 + $1.0 - $1.1 } / Double(activations) * 1_000,
            postgresCPUSecondsPer1000: postgresAfter.flatMap { after in postgresBefore.map { (after - $0) / Double(activations) * 1_000 } },
            machineCPUSecondsPer1000: machine.map { $0.busy / Double(activations) * 1_000 }, machineIdleShare: machine?.idleShare)
    }

    private static func milliseconds(from start: Date, to end: Date) -> UInt64 {
        UInt64(max(0, end.timeIntervalSince(start) * 1_000).rounded())
    }

    /// Sends every request (in chunks of 500, or paced at `rate` per second) and returns when each was sent.
    static func submit(
        _ requests: [ActivationRequest], producer: KafkaProducer, topic: String, rate: Double?
    ) async throws -> [String: Date] {
        var submittedAt: [String: Date] = [:]
        let chunk = rate.map { max(1, Int(($0 / 100).rounded(.up))) } ?? 500
        let start = ContinuousClock.now
        var sent = 0
        var deliveries: [Task<Void, any Error>] = []
        while sent < requests.count {
            let slice = requests[sent..<min(sent + chunk, requests.count)]
            if let rate {
                // Paced: this chunk is due when `sent` requests have had their share of time.
                try await Task.sleep(until: start + .milliseconds(Int64(Double(sent) / rate * 1_000)))
            }
            let records = try slice.map { KafkaProducerMessage(topic: topic, key: $0.requestID, value: try WireFormat.encode($0)) }
            let now = Date()
            for request in slice { submittedAt[request.requestID] = now }
            if rate == nil {
                try await producer.send(records).checkDelivered()
            } else {
                // Paced chunks are not awaited one by one, so a slow delivery report does not slow the pace; all
                // are awaited before returning (a chunk still being handed to librdkafka when the caller closed the
                // producer was lost: the fault suite saw 199 of 200 requests arrive).
                let pending = records
                deliveries.append(Task { try await producer.send(pending).checkDelivered() })
            }
            sent += slice.count
        }
        for delivery in deliveries { try await delivery.value }
        try await producer.flush(timeout: .seconds(30))
        return submittedAt
    }

    /// The simulator for the chosen SMS behaviour, at 60× time, with unlimited stock.
    static func simulatorYAML(_ sms: SMS) -> String {
        let delay =
            switch sms {
            case .instant: "{kind: fixed, seconds: 0}"
            case .realistic: "{kind: log_normal, median: 30, sigma: 0.5}"
            case .never: "{kind: never}"
            }
        return """
            time_scale: 60
            activation_lifetime_seconds: 72000
            early_cancel_window_seconds: 120
            default_offer:
              price: 10.00
              inventory: 100000000
              sms_delay: \(delay)

            """
    }

    /// Progress lines on standard error.
    enum Stage {
        static func say(_ text: String) {
            FileHandle.standardError.write(Data("==> \(text)\n".utf8))
        }
    }
}

extension Logger {
    /// A logger that says nothing below errors (the benchmark's own clients).
    static var quiet: Logger {
        var logger = Logger(label: "otppool.bench")
        logger.logLevel = .error
        return logger
    }
}
