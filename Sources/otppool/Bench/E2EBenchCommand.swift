import Activation
import ArgumentParser
import AsyncHTTPClient
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
    }

    func run() async throws {
        let settings = try await config.load(postgres.overrides, ["logging.level": (logging.logLevel ?? .warning).rawValue])
        _ = settings.logging.bootstrap("otppool.bench")
        let run = String(UUID().uuidString.prefix(8)).lowercased()
        let prefix = "bench\(run)"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otppool-bench-\(run)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stage = Stage(directory: directory, quiet: json)
        var children: [ChildProcess] = []
        do {
            let report = try await measure(settings: settings, prefix: prefix, run: run, directory: directory, stage: stage, children: &children)
            await stop(children)
            print(report.text)
            if json { print(report.json) }
        } catch {
            await stop(children)
            FileHandle.standardError.write(Data("bench e2e failed: \(error); logs in \(directory.path)\n".utf8))
            throw ExitCode.failure
        }
        if keepLogs { stage.say("logs kept in \(directory.path)") } else { try? FileManager.default.removeItem(at: directory) }
    }

    // swiftlint:disable:next function_body_length
    private func measure(
        settings: Settings, prefix: String, run: String, directory: URL, stage: Stage, children: inout [ChildProcess]
    ) async throws -> E2EReport {
        let executable = ChildProcess.ownExecutable
        let postgresURL = try settings.postgres().url
        let simPort = try FreePort.pick()
        let bootstrap = directory.appendingPathComponent("bootstrap").path
        let simConfig = directory.appendingPathComponent("supplier-sim.yaml")
        try Self.simulatorYAML(sms).write(to: simConfig, atomically: true, encoding: .utf8)

        stage.say("starting the broker (\(partitions) partitions per topic) and the supplier simulator")
        children.append(try ChildProcess(
            name: "broker", executable: executable,
            arguments: ["broker", "--brokers", "1", "--partitions", "\(partitions)", "--topic-prefix", prefix, "--bootstrap-file", bootstrap,
                        "--log-level", "warning"], logDirectory: directory))
        children.append(try ChildProcess(
            name: "supplier-sim", executable: executable,
            arguments: ["supplier-sim", "--port", "\(simPort)", "--config", simConfig.path, "--log-level", "warning"], logDirectory: directory))
        var kafka = settings.kafka
        kafka.brokers = []
        kafka.bootstrapFile = bootstrap
        let client = try await kafka.clientOptions(clientID: "otppool-bench")

        let account = "acct-bench-\(run)"
        _ = try await settings.withStore(applicationName: "otppool-bench", logger: Logger.quiet) { store in
            try await store.upsertAccount(Account(id: account, email: "bench@example.com", balanceMinor: Int64(activations) * 10_000))
        }
        let poll = pollInterval ?? (sms == .instant ? 0.25 : sms == .realistic ? 0.5 : 60)
        var adminPorts: [Int] = []
        stage.say("starting \(workers) worker process(es)")
        for index in 1...workers {
            let port = try FreePort.pick()
            adminPorts.append(port)
            children.append(try ChildProcess(
                name: "worker\(index)", executable: executable,
                arguments: [
                    "worker", "--bootstrap-file", bootstrap, "--topic-prefix", prefix, "--group", "\(prefix)-workers", "--no-migrate",
                    "--set", "admin.port=\(port)", "--set", "worker.poll_interval_seconds=\(poll)",
                    "--set", "worker.waiting_window_seconds=\(sms == .never ? 3_000 : 300)",
                    "--set", "worker.in_flight_total=\(max(5_000, activations))", "--log-level", "notice",
                ],
                environment: [
                    "OTPPOOL_POSTGRES_URL": postgresURL,
                    "OTPPOOL_SUPPLIER_SIM_HANDLER_API_BASE_URL": "http://127.0.0.1:\(simPort)",
                    "OTPPOOL_SUPPLIER_SIM_5SIM_BASE_URL": "http://127.0.0.1:\(simPort)/v1",
                ],
                logDirectory: directory))
        }
        let workerProcesses = Array(children.suffix(workers))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = Task { try? await http.shutdown() } }
        try await Self.waitReady(http: http, ports: adminPorts, children: workerProcesses)
        let cpuBefore = workerProcesses.map { $0.cpuSeconds ?? 0 }

        let observer = try E2EObserver(client: client, topic: "\(prefix).events", logger: Logger.quiet)
        let observing = Task { await observer.run() }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: Logger.quiet)
        let requests = (0..<activations).map { index in
            ActivationRequest(
                requestID: "r\(run)-\(index)", idempotencyKey: "k\(run)-\(index)", accountID: account, service: "tg", countries: ["usa"],
                maxPrice: Money(amountMinor: 2_500, currency: "USD"), submittedAt: Date(), metadata: [:])
        }
        stage.say("submitting \(activations) activations" + (offeredRate.map { " at \(Int($0))/s" } ?? " as fast as possible"))
        let submittedAt = try await Self.submit(requests, producer: producer, topic: "\(prefix).requests", rate: offeredRate)
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
        let peakRSS = workerProcesses.map { $0.peakRSSMegabytes ?? 0 }
        await observer.stop()
        observing.cancel()

        var pages: [PrometheusText] = []
        for port in adminPorts { pages.append(PrometheusText(try await Self.get(http: http, "http://127.0.0.1:\(port)/metrics"))) }
        let done = sms == .never ? seen.allocatedAt.count : seen.ended.count
        guard done >= activations else {
            throw ValidationError("only \(done) of \(activations) activations \(sms == .never ? "allocated" : "ended") within \(Int(timeout)) s")
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
        var lateness: [Double: Double] = [:]
        for page in pages { lateness.merge(page.buckets("otppool_followup_lateness_seconds")) { $0 + $1 } }
        return E2EReport(
            activations: activations, workers: workers, sms: sms.rawValue, offeredRate: offeredRate,
            activationsPerSecond: Double(activations) / max(0.001, lastDone.timeIntervalSince(firstSubmit)),
            allocated: allocated, completed: completed, outcomes: outcomes,
            latenessP99Milliseconds: PrometheusText.quantileBound(lateness, 0.99).map { $0 * 1_000 },
            supplierCallsPerActivation: pages.reduce(0) { $0 + $1.sum("otppool_supplier_calls_total") } / Double(activations),
            statementsPerActivation: pages.reduce(0) { $0 + $1.sum("otppool_postgres_statements_total") } / Double(activations),
            workerPeakRSS: peakRSS, waitingRSS: waitingRSS,
            cpuSecondsPer1000: zip(cpuAfter, cpuBefore).reduce(0) { $0 + $1.0 - $1.1 } / Double(activations) * 1_000)
    }

    private func stop(_ children: [ChildProcess]) async {
        // Workers first (they drain and commit), then the simulator and the broker.
        for child in children.reversed() {
            child.signal(SIGTERM)
            if await child.waitForExit(timeout: .seconds(30)) == nil {
                child.signal(SIGKILL)
                _ = await child.waitForExit(timeout: .seconds(5))
            }
        }
    }

    private static func milliseconds(from start: Date, to end: Date) -> UInt64 {
        UInt64(max(0, end.timeIntervalSince(start) * 1_000).rounded())
    }

    /// Sends every request (in chunks of 500, or paced at `rate` per second) and returns when each was sent.
    private static func submit(
        _ requests: [ActivationRequest], producer: KafkaProducer, topic: String, rate: Double?
    ) async throws -> [String: Date] {
        var submittedAt: [String: Date] = [:]
        let chunk = rate.map { max(1, Int(($0 / 100).rounded(.up))) } ?? 500
        let start = ContinuousClock.now
        var sent = 0
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
                _ = try await producer.send(records).get()
            } else {
                // Paced chunks are not awaited one by one, so a slow delivery report does not slow the pace.
                let pending = records
                Task { _ = await producer.send(pending) }
            }
            sent += slice.count
        }
        try await producer.flush(timeout: .seconds(30))
        return submittedAt
    }

    private static func waitReady(http: HTTPClient, ports: [Int], children: [ChildProcess]) async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        for (port, child) in zip(ports, children) {
            while true {
                if (try? await get(http: http, "http://127.0.0.1:\(port)/readyz"))?.contains("\"status\":\"ready\"") == true { break }
                guard child.isRunning else { throw ValidationError("\(child.name) exited before it was ready; see \(child.log.path)") }
                guard ContinuousClock.now < deadline else { throw ValidationError("\(child.name) not ready within 90 s; see \(child.log.path)") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    private static func get(http: HTTPClient, _ url: String) async throws -> String {
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 16 << 20))
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

    /// Progress lines on standard error (silent with --json until the report).
    struct Stage {
        let directory: URL
        let quiet: Bool
        func say(_ text: String) {
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
