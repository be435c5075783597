import ArgumentParser
import Foundation
import Pool

/// `otppool bench engine`: the activation engine's own CPU per activation, with nothing running.
struct EngineBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Run activations through the engine alone, in memory, and print its CPU per activation.",
        discussion: """
            The engine's store, publisher, follow-ups, suppliers and clock are in memory (the ones its unit tests \
            use), so the figure is the engine's own work: the state machine, encoding each step, the chain of steps. \
            PostgreSQL, the broker and HTTP are not in it; `otppool bench e2e` measures those too. Each wave of \
            requests is taken in at once and driven to its end (the code arrives on the second status check), and \
            the money is checked at the end (the exit status is non-zero when it is not exact). --json prints one JSON \
            object. Build with `swift build -c release`.
            """)

    @Option(help: "Requests to run through the engine.")
    var activations = 20_000

    @Option(help: "Requests taken in at once, then driven to their end, before the next wave.")
    var wave = 1_000

    @Flag(help: "Print one JSON object instead of the text report.")
    var json = false

    func validate() throws {
        guard (1...10_000_000).contains(activations) else { throw ValidationError("--activations must be between 1 and 10,000,000.") }
        guard (1...100_000).contains(wave) else { throw ValidationError("--wave must be between 1 and 100,000.") }
    }

    func run() async throws {
        let cpuBefore = Self.cpuSeconds()
        let report = try await EngineBenchmark.run(activations: activations, wave: wave) { done in
            if !json { FileHandle.standardError.write(Data("\r\(done)/\(activations) activations".utf8)) }
        }
        let cpu = Self.cpuSeconds() - cpuBefore
        let cpuPerThousand = cpu / Double(report.activations) * 1_000
        if json {
            try JSONOutput.print(Figures(report: report, cpuSeconds: cpu))
            if !report.moneyExact { throw ExitCode.failure }
            return
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print(String(format: "engine alone: %d activations (%d completed) in %.2f s, %.0f/s", report.activations, report.completed, report.seconds, Double(report.activations) / report.seconds))
        print(String(format: "CPU: %.2f s in all, %.3f CPU-s per 1,000 activations (%.0f µs each)", cpu, cpuPerThousand, cpuPerThousand * 1_000))
        print(String(format: "per activation: %.2f steps written, %.2f supplier calls", report.stepsPerActivation, report.supplierCallsPerActivation))
        print("money: " + (report.moneyExact ? "exact (nothing held, every completed activation debited its price once)" : "NOT EXACT"))
        if !report.moneyExact { throw ExitCode.failure }
    }

    /// The JSON object: the report's figures with this process's CPU.
    struct Figures: Encodable {
        var report: EngineBenchmark.Report
        var cpuSeconds: Double

        private enum CodingKeys: String, CodingKey {
            case activations, completed, seconds
            case activationsPerSecond = "activations_per_s"
            case cpuSecondsPer1000 = "cpu_s_per_1000_activations"
            case steps = "steps_per_activation"
            case supplierCalls = "supplier_calls_per_activation"
            case moneyExact = "money_exact"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(report.activations, forKey: .activations)
            try container.encode(report.completed, forKey: .completed)
            try container.encode((report.seconds * 1_000).rounded() / 1_000, forKey: .seconds)
            try container.encode((Double(report.activations) / report.seconds).rounded(), forKey: .activationsPerSecond)
            try container.encode((cpuSeconds / Double(report.activations) * 1_000_000).rounded() / 1_000, forKey: .cpuSecondsPer1000)
            try container.encode((report.stepsPerActivation * 100).rounded() / 100, forKey: .steps)
            try container.encode((report.supplierCallsPerActivation * 100).rounded() / 100, forKey: .supplierCalls)
            try container.encode(report.moneyExact, forKey: .moneyExact)
        }
    }

    /// This process's user and system CPU seconds so far, every thread's.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
