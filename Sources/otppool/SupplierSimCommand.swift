import ArgumentParser
import Logging
import ServiceLifecycle
import SupplierSimulator

/// `otppool supplier-sim`: the supplier simulator as a standalone HTTP server, until SIGTERM or SIGINT.
struct SupplierSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supplier-sim",
        abstract: "Serve a simulated SMS supplier speaking handler_api (/stubs/handler_api.php) and 5sim (/v1/…).",
        discussion: """
            With no --config it serves services tg, wa, go in countries 0 russia, 6 indonesia, 16 england, \
            187 usa to the API key sim-key. The audit is at GET /sim/audit. See docs/suppliers.md.
            """
    )

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8090

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "Simulator configuration (YAML, e.g. config/supplier-sim.yaml); defaults apply without it.")
    var config: String?

    @Option(help: "Override the configuration's time scale (supplier seconds per real second).")
    var timeScale: Double?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger("otppool.supplier-sim")
        var configuration = try self.config.map { try SimulatorConfiguration.load(path: $0) } ?? SimulatorConfiguration()
        if let timeScale = self.timeScale { configuration.timeScale = timeScale }
        let simulator = SupplierSimulator(configuration: configuration, logger: logger)
        let server = SimulatorServer(simulator: simulator, host: self.host, port: self.port, logger: logger)
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
