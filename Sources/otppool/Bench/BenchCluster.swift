import AsyncHTTPClient
import Foundation
import Kafka
import Synchronization

/// The pool as separate processes, for the benchmarks and the fault suite: a standalone embedded broker,
/// the supplier simulator, W activation workers and (optionally) the escalation worker, on topics and consumer
/// groups of their own, over the given PostgreSQL.
final class BenchCluster: Sendable {
    struct Options: Sendable {
        var brokers = 1
        var partitions = 12
        var simulatorYAML: String
        var workers = 2
        var pollInterval = 0.25
        var waitingWindow = 300.0
        var inFlightTotal = 300
        var escalation = false
        var faultSignals = false
        var workerSettings: [String] = []
        /// The catalogue the workers read; nil for the built-in one (whose supplier windows are in real time:
        /// use a catalogue with the simulator's scaled windows, like config/demo/catalogue.yaml, when codes can
        /// fail to arrive).
        var catalogue: String?
        /// How long the brokers stay down on SIGUSR1 (`otppool broker --down-seconds`).
        var brokerDownSeconds = 5.0
        /// The workers' PostgreSQL, when not `postgresURL` (a fault proxy in front of it).
        var workerPostgresURL: String?
        /// Topics the broker creates besides the workflow's (the C baseline's).
        var extraTopics: [TopicSpec] = []
    }

    let options: Options
    let directory: URL
    let prefix: String
    let postgresURL: String
    let simPort: Int
    let workerPorts: [Int]
    let escalationPort: Int?
    let client: KafkaClientOptions
    /// The process-wide client: it needs no shutdown, so an init that throws halfway (a child that never got
    /// ready) cannot trap in the client's deinit, as a private client did.
    var http: HTTPClient { HTTPClient.shared }
    private let children = Mutex<[String: ChildProcess]>([:])
    private let order = Mutex<[String]>([])
    /// SIGINT and SIGTERM stop the processes before the bench exits (a bench stopped alone left them running).
    private let signalSources = Mutex(SignalSources())

    /// Dispatch sources are not Sendable; these are only created, then cancelled, which Dispatch allows from any
    /// thread.
    private struct SignalSources: @unchecked Sendable {
        var sources: [any DispatchSourceSignal] = []
    }

    /// Starts the broker and the simulator, then the workers (and the escalation worker), and waits until every
    /// worker answers `/readyz`.
    init(options: Options, directory: URL, prefix: String, postgresURL: String) async throws {
        self.options = options
        self.directory = directory
        self.prefix = prefix
        self.postgresURL = postgresURL
        let simPort = try FreePort.pick()
        self.simPort = simPort
        workerPorts = try (0..<options.workers).map { _ in try FreePort.pick() }
        escalationPort = options.escalation ? try FreePort.pick() : nil
        let bootstrap = directory.appendingPathComponent("bootstrap").path
        let simConfig = directory.appendingPathComponent("supplier-sim.yaml")
        try AtomicFile.write(options.simulatorYAML, to: simConfig.path)
        let launch = { (name: String, arguments: [String]) throws -> ChildProcess in
            try Self.launch(name, arguments, directory: directory, postgresURL: postgresURL, simPort: simPort)
        }
        let broker = try launch("broker", [
            "broker", "--brokers", "\(options.brokers)", "--partitions", "\(options.partitions)", "--topic-prefix", prefix,
            "--bootstrap-file", bootstrap, "--log-level", "notice",
        ] + (options.extraTopics.isEmpty ? [] : ["--extra-topics"] + options.extraTopics.map { "\($0.name):\($0.partitions)" })
            + (options.faultSignals ? ["--fault-signals", "--down-seconds", "\(options.brokerDownSeconds)"] : []))
        let simulator = try launch("supplier-sim", ["supplier-sim", "--port", "\(simPort)", "--config", simConfig.path, "--log-level", "warning"])
        client = KafkaClientOptions(
            bootstrapServers: try await Self.bootstrapServers(written: bootstrap, by: broker), clientID: "otppool-bench")
        children.withLock { $0 = ["broker": broker, "supplier-sim": simulator] }
        order.withLock { $0 = ["broker", "supplier-sim"] }
        stopOnSignals()
        for index in workerPorts.indices { try startWorker(index) }
        if options.escalation { try startEscalation() }
        do {
            try await waitReady()
        } catch {
            await stop()
            throw error
        }
    }

    var bootstrapFile: String { directory.appendingPathComponent("bootstrap").path }

    /// The bootstrap servers `broker` (an `otppool broker --bootstrap-file` child) writes to `file` once it is up.
    ///
    /// - Throws: ``BenchError`` when nothing is written within 30 s, or the broker exits first.
    static func bootstrapServers(written file: String, by broker: ChildProcess) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            if let text = try? String(contentsOfFile: file, encoding: .utf8), !text.isEmpty {
                return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            }
            guard broker.isRunning, ContinuousClock.now < deadline else {
                throw BenchError("the broker wrote no bootstrap file within 30 s; see \(broker.log.path)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    func child(_ name: String) -> ChildProcess? { children.withLock { $0[name] } }

    var workerProcesses: [ChildProcess] { workerPorts.indices.compactMap { child("worker\($0 + 1)") } }

    /// (Re)starts worker `index` (0-based) on its admin port.
    func startWorker(_ index: Int) throws {
        try start("worker\(index + 1)", [
            "worker", "--bootstrap-file", bootstrapFile, "--topic-prefix", prefix, "--group", "\(prefix)-workers", "--no-migrate",
            "--set", "admin.port=\(workerPorts[index])", "--set", "worker.poll_interval_seconds=\(options.pollInterval)",
            "--set", "worker.waiting_window_seconds=\(options.waitingWindow)", "--set", "worker.in_flight_total=\(options.inFlightTotal)",
            // Its clock runs fast (windows of seconds), so "behind" is two poll intervals late, not the default 5 s.
            "--set", "worker.admission_lateness_seconds=\(max(1, 2 * options.pollInterval))",
            "--log-level", "notice",
        ] + (options.catalogue.map { ["--catalogue", $0] } ?? []) + options.workerSettings.flatMap { ["--set", $0] },
        postgresURL: options.workerPostgresURL ?? postgresURL)
    }

    private func startEscalation() throws {
        guard let escalationPort else { return }
        try start("escalation", [
            "escalation", "--bootstrap-file", bootstrapFile, "--topic-prefix", prefix, "--group", "\(prefix)-escalation", "--no-migrate",
            "--set", "admin.port=\(escalationPort)", "--log-level", "notice",
        ])
    }

    private func start(_ name: String, _ arguments: [String], postgresURL: String? = nil) throws {
        let process = try Self.launch(name, arguments, directory: directory, postgresURL: postgresURL ?? self.postgresURL, simPort: simPort)
        children.withLock { $0[name] = process }
        order.withLock { if !$0.contains(name) { $0.append(name) } }
    }

    private static func launch(_ name: String, _ arguments: [String], directory: URL, postgresURL: String, simPort: Int) throws -> ChildProcess {
        try ChildProcess(
            name: name, executable: ChildProcess.ownExecutable, arguments: arguments,
            environment: [
                "OTPPOOL_POSTGRES_URL": postgresURL,
                "OTPPOOL_SUPPLIER_SIM_HANDLER_API_BASE_URL": "http://127.0.0.1:\(simPort)",
                "OTPPOOL_SUPPLIER_SIM_5SIM_BASE_URL": "http://127.0.0.1:\(simPort)/v1",
            ],
            logDirectory: directory, append: true)
    }

    /// Waits until every worker (and the escalation worker) answers `/readyz` with ready.
    func waitReady(timeout: Duration = .seconds(90)) async throws {
        let deadline = ContinuousClock.now + timeout
        let ports = workerPorts.enumerated().map { ("worker\($0.offset + 1)", $0.element) } + (escalationPort.map { [("escalation", $0)] } ?? [])
        for (name, port) in ports {
            while true {
                if (try? await get("http://127.0.0.1:\(port)/readyz"))?.contains("\"status\":\"ready\"") == true { break }
                guard child(name)?.isRunning == true else { throw BenchError("\(name) exited before it was ready; see \(directory.path)/\(name).log") }
                guard ContinuousClock.now < deadline else { throw BenchError("\(name) not ready within \(timeout); see \(directory.path)/\(name).log") }
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The `/metrics` pages of the running workers.
    func workerMetrics() async throws -> [PrometheusText] {
        var pages: [PrometheusText] = []
        for (index, port) in workerPorts.enumerated() where child("worker\(index + 1)")?.isRunning == true {
            pages.append(PrometheusText(try await get("http://127.0.0.1:\(port)/metrics")))
        }
        return pages
    }

    /// The simulator's audit (`/sim/audit`) as JSON.
    func simulatorAudit() async throws -> [String: Any] {
        let text = try await get("http://127.0.0.1:\(simPort)/sim/audit")
        return (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    /// Every activation the simulator sold (`GET /sim/audit/activations`), for the per-activation ledger join.
    func simulatorActivations() async throws -> [[String: Any]] {
        let text = try await get("http://127.0.0.1:\(simPort)/sim/audit/activations")
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return object?["activations"] as? [[String: Any]] ?? []
    }

    func get(_ url: String) async throws -> String {
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 16 << 20))
    }

    /// On SIGINT or SIGTERM: stops the processes, then exits with 128 + the signal's number.
    private func stopOnSignals() {
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                FileHandle.standardError.write(Data("\nbench: stopping its processes (signal \(number))\n".utf8))
                Task {
                    await stop()
                    exit(128 + number)
                }
            }
            source.resume()
            return source
        }
        let watch = SignalSources(sources: sources)
        signalSources.withLock { $0 = watch }
    }

    /// Stops everything: workers first (they drain and commit), then the escalation worker, simulator, broker.
    func stop() async {
        let watch = signalSources.withLock { watch in
            defer { watch = SignalSources() }
            return watch
        }
        for source in watch.sources { source.cancel() }
        let names = order.withLock { $0 }
        let first = names.filter { $0.hasPrefix("worker") } + names.filter { $0 == "escalation" }
        for name in first + ["supplier-sim", "broker"] {
            guard let process = child(name) else { continue }
            process.signal(SIGTERM)
            if await process.waitForExit(timeout: .seconds(30)) == nil {
                process.signal(SIGKILL)
                _ = await process.waitForExit(timeout: .seconds(5))
            }
        }
    }
}
