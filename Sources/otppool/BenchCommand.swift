import ArgumentParser

/// `otppool bench`: benchmarks that print figures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput and latency; build with `swift build -c release` first.",
        subcommands: [KafkaBenchCommand.self, E2EBenchCommand.self, EngineBenchCommand.self, FaultsBenchCommand.self])
}
