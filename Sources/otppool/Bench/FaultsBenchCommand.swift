import Activation
import ArgumentParser
import Foundation
import Kafka
import Logging
import Pool
import Postgres
import Runtime

/// `otppool bench faults`: each scenario drives N activations through the pool as processes while something
/// breaks, then checks the invariants; prints a table per scenario and exits non-zero on any violation.
struct FaultsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract: "Fault suite: worker SIGKILLs, broker outage and request errors, PostgreSQL restart, supplier storms.",
        discussion: """
            Invariants after each scenario: every request has exactly one activation, in a terminal state; every \
            request has a terminal event; no attempt was bought twice (simulator audit); the account reconciles to \
            the cent (balance = funding − debits, nothing held) and debits equal what the simulator charged; every \
            expired or failed activation has its escalation record. Needs postgres.url and, for the postgres \
            scenario, a PostgreSQL that `--restart-command` restarts (default: scripts/pg.sh restart).
            """)

    @Option(help: "Scenarios, comma separated: kill, broker, postgres, supplier, ambiguous, zombie, pg-cut, pg-slow, broker-long, kill-storm, anomalies, or all.")
    var scenario: String = "all"

    @Option(help: "Activations per scenario.")
    var activations: Int = 10_000

    @Option(help: "Offered rate, activations per second (faults happen while requests still arrive; below the pool's capacity).")
    var offeredRate: Double = 150

    @Option(help: "Share of requests that can only expire (Indonesia: no code ever), escalating to supplier-fallback.")
    var expiringShare: Double = 0.05

    @Option(help: "Command that restarts PostgreSQL, for the postgres scenario.")
    var restartCommand: String = "scripts/pg.sh restart"

    @Option(help: "The workers' catalogue, with supplier windows matching the simulator's 60× time.")
    var catalogue: String = "config/demo/catalogue.yaml"

    @Option(help: "Give up on a scenario after this many seconds.")
    var timeout: Double = 1_200

    @Flag(help: "Keep the processes' logs (their folder is printed).")
    var keepLogs = false

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    private var scenarios: [FaultScenario] {
        scenario == "all" ? FaultScenario.allCases : scenario.split(separator: ",").compactMap { FaultScenario(rawValue: String($0)) }
    }

    func validate() throws {
        guard FileManager.default.fileExists(atPath: catalogue) else {
            throw ValidationError("--catalogue \(catalogue) does not exist; run from the repository root or pass the file")
        }
        let names = scenario.split(separator: ",").map(String.init)
        guard scenario == "all" || (!names.isEmpty && names.allSatisfy { FaultScenario(rawValue: $0) != nil }) else {
            throw ValidationError("--scenario: use all or a comma-separated list of \(FaultScenario.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard activations >= 10, offeredRate > 0, (0...0.5).contains(expiringShare) else {
            throw ValidationError("--activations ≥ 10, --offered-rate > 0 and --expiring-share 0…0.5, please.")
        }
    }

    func run() async throws {
        let settings = try await config.load(postgres.overrides, ["logging.level": (logging.logLevel ?? .warning).rawValue])
        _ = settings.logging.bootstrap("otppool.faults")
        var violated: [InvariantTable] = []
        for scenario in scenarios {
            let table = try await run(scenario, settings: settings)
            FileHandle.standardOutput.write(Data((table.text + "\n").utf8))
            if table.violations > 0 { violated.append(table) }
        }
        if !violated.isEmpty {
            // Repeated last, so that the tail of a long log (all CI keeps) still says what broke and where.
            print("\(violated.map(\.violations).reduce(0, +)) invariant violation(s):")
            for table in violated { print(table.violationSummary) }
            throw ExitCode.failure
        }
        print("every invariant held in \(scenarios.count) scenario(s)")
    }

    private func run(_ scenario: FaultScenario, settings: Settings) async throws -> InvariantTable {
        let run = String(UUID().uuidString.prefix(8)).lowercased()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otppool-faults-\(scenario.rawValue)-\(run)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let account = "acct-faults-\(run)"
        let funding = Int64(activations) * 10_000
        _ = try await settings.withStore(applicationName: "otppool-faults", logger: Logger.quiet) { store in
            try await store.upsertAccount(Account(id: account, email: "faults@example.com", balanceMinor: funding))
        }
        E2EBenchCommand.Stage.say("scenario \(scenario.rawValue): \(scenario.summary); \(activations) activations at \(Int(offeredRate))/s")
        var catalogue = URL(fileURLWithPath: self.catalogue).path
        if !scenario.replaysReferences {
            // The same catalogue, with suppliers that do not replay references.
            let text = try String(contentsOfFile: catalogue, encoding: .utf8)
                .replacingOccurrences(of: "replays_references: true", with: "replays_references: false")
            catalogue = directory.appendingPathComponent("catalogue.yaml").path
            try AtomicFile.write(text, to: catalogue)
        }
        let postgresURL = try settings.postgres().url
        let proxy: FaultProxy? = try scenario.usesProxy
            ? FaultProxy(target: FaultProxy.target(of: postgresURL) ?? "127.0.0.1:5432") : nil
        defer { proxy?.stop() }
        let cluster = try await BenchCluster(
            options: BenchCluster.Options(
                brokers: [.broker, .brokerLong].contains(scenario) ? 3 : 1, partitions: 6, simulatorYAML: scenario.simulatorYAML,
                workers: scenario.workers, pollInterval: 0.5, waitingWindow: 3, escalation: true,
                faultSignals: [.broker, .brokerLong].contains(scenario), workerSettings: [
                    "worker.supplier_retry_delay_seconds=1", "worker.stall_timeout_seconds=5",
                    "worker.supplier_reconcile_interval_seconds=5",
                ] + scenario.workerSettings,
                catalogue: catalogue, brokerDownSeconds: scenario.brokerDownSeconds,
                workerPostgresURL: proxy?.url(replacingIn: postgresURL)),
            directory: directory, prefix: "faults\(run)", postgresURL: postgresURL)
        do {
            let table = try await drive(scenario, cluster: cluster, proxy: proxy, account: account, funding: funding, run: run, settings: settings)
            await cluster.stop()
            if keepLogs || table.violations > 0 {
                E2EBenchCommand.Stage.say("logs kept in \(directory.path)")
            } else {
                try? FileManager.default.removeItem(at: directory)
            }
            return table
        } catch {
            await cluster.stop()
            FileHandle.standardError.write(Data("scenario \(scenario.rawValue) failed: \(error); logs in \(directory.path)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func drive(
        _ scenario: FaultScenario, cluster: BenchCluster, proxy: FaultProxy?, account: String, funding: Int64, run: String, settings: Settings
    ) async throws -> InvariantTable {
        let observer = try E2EObserver(client: cluster.client, topic: "\(cluster.prefix).events", logger: Logger.quiet)
        let observing = Task { await observer.run() }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: cluster.client), logger: Logger.quiet)
        let expiringEvery = expiringShare > 0 ? max(2, Int((1 / expiringShare).rounded())) : Int.max
        let requests = (0..<activations).map { index in
            ActivationRequest(
                requestID: "f\(run)-\(index)", idempotencyKey: "fk\(run)-\(index)", accountID: account, service: "tg",
                countries: index % expiringEvery == 0 ? ["indonesia"] : scenario.countries(for: index),
                maxPrice: Money(amountMinor: 2_500, currency: "USD"), submittedAt: Date(), metadata: [:])
        }
        let submitSeconds = Double(activations) / offeredRate
        let faults = Task { try await inject(scenario, cluster: cluster, proxy: proxy, over: submitSeconds) }
        _ = try await E2EBenchCommand.submit(requests, producer: producer, topic: "\(cluster.prefix).requests", rate: offeredRate)
        await producer.close()
        try await faults.value

        let progress = ProgressLine(label: "ended", total: activations)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1_000))
        while ContinuousClock.now < deadline, observer.counts.ended < activations {
            progress.set(observer.counts.ended, note: "(events seen)")
            try await Task.sleep(for: .milliseconds(500))
        }
        progress.set(observer.counts.ended)
        progress.finish()
        var seen = observer.snapshot
        if seen.ended.count < activations { seen.unreadTails = await observer.unreadTails() }
        await observer.stop()
        observing.cancel()
        return try await InvariantTable.check(
            scenario: scenario, activations: activations, account: account, funding: funding, seen: seen, cluster: cluster,
            settings: settings)
    }

    /// The scenario's faults, spread over the submission time.
    private func inject(_ scenario: FaultScenario, cluster: BenchCluster, proxy: FaultProxy?, over seconds: Double) async throws {
        func at(_ share: Double) -> Duration { .milliseconds(Int64(seconds * share * 1_000)) }
        switch scenario {
        case .kill, .killStorm:
            let start = ContinuousClock.now
            var victim = 0
            try await Task.sleep(for: .seconds(2))
            while ContinuousClock.now - start < at(1) {
                let process = cluster.workerProcesses[victim]
                E2EBenchCommand.Stage.say("SIGKILL worker\(victim + 1) (pid \(process.pid))")
                process.signal(SIGKILL)
                _ = await process.waitForExit(timeout: .seconds(5))
                try await Task.sleep(for: .seconds(1))
                try cluster.startWorker(victim)
                victim = (victim + 1) % cluster.workerPorts.count
                try await Task.sleep(for: .seconds(3))
            }
        case .broker:
            try await Task.sleep(for: at(0.25))
            E2EBenchCommand.Stage.say("every broker down for 5 s")
            cluster.child("broker")?.signal(SIGUSR1)
            try await Task.sleep(for: .seconds(8))
            for round in 1...3 {
                E2EBenchCommand.Stage.say("request errors and leader moves, round \(round)")
                cluster.child("broker")?.signal(SIGUSR2)
                try await Task.sleep(for: .seconds(3))
            }
        case .postgres:
            try await Task.sleep(for: at(0.33))
            E2EBenchCommand.Stage.say("restarting PostgreSQL: \(restartCommand)")
            let status = await Shell.run(restartCommand)
            guard status == 0 else { throw BenchError("`\(restartCommand)` exited with \(status)") }
        case .brokerLong:
            try await Task.sleep(for: at(0.25))
            E2EBenchCommand.Stage.say("every broker down for \(Int(scenario.brokerDownSeconds)) s")
            cluster.child("broker")?.signal(SIGUSR1)
            try await Task.sleep(for: .milliseconds(Int64(scenario.brokerDownSeconds * 1_000) + 1_000))
        case .zombie:
            try await Task.sleep(for: .seconds(2))
            for victim in 0..<2 {
                let process = cluster.workerProcesses[victim]
                E2EBenchCommand.Stage.say("SIGSTOP worker\(victim + 1) (pid \(process.pid)) for 15 s")
                process.signal(SIGSTOP)
                try await Task.sleep(for: .seconds(15))
                E2EBenchCommand.Stage.say("SIGCONT worker\(victim + 1)")
                process.signal(SIGCONT)
                try await Task.sleep(for: .seconds(3))
            }
        case .postgresCut:
            try await Task.sleep(for: at(0.33))
            try await proxy?.during(.seconds(10), "cutting the workers off PostgreSQL for 10 s", then: "PostgreSQL reachable again") { $0.cut() }
        case .postgresSlow:
            try await Task.sleep(for: at(0.25))
            try await proxy?.during(.seconds(15), "PostgreSQL slow (300 ms per packet) for 15 s", then: "PostgreSQL fast again") { $0.slow() }
        case .supplier, .ambiguous, .anomalies:
            break
        }
    }
}
