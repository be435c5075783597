import ArgumentParser
import Foundation
import Kafka
import Logging

/// `otppool bench kafka`: the Swift Kafka layer against raw librdkafka in C, same cluster, same run.
struct KafkaBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Produce and consume N records through the Swift layer and through raw librdkafka in C.",
        discussion: """
            Starts an embedded cluster, runs the C baseline (the kafka-bench-c executable built \
            next to otppool) and then the Swift layer with the same client settings, and prints \
            msg/s for both. The last line is `RESULT produce_ratio=<swift/c> consume_ratio=<swift/c>`.
            """)

    @Option(help: "Records to produce and consume per client.")
    var messages: Int = 1_000_000

    @Option(help: "Record size in bytes.")
    var size: Int = 300

    @Option(help: "Least number of partitions of each benchmark topic (raised so every record is retained).")
    var partitions: Int = 4

    @Option(help: "Rounds of C then Swift; the result compares the medians.")
    var rounds: Int = 3

    @Option(help: "Path of the C baseline; default: kafka-bench-c next to this executable.")
    var cBaseline: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard messages >= 2 else { throw ValidationError("--messages must be at least 2.") }
        guard (1...10_000_000).contains(size) else { throw ValidationError("--size must be between 1 and 10,000,000 bytes.") }
        guard (1...256).contains(partitions) else { throw ValidationError("--partitions must be between 1 and 256.") }
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be between 1 and 20.") }
    }

    func run() async throws {
        let logger = logging.makeLogger("otppool.bench.kafka")
        let baseline = try CBaseline(path: cBaseline)
        // The embedded cluster keeps only about 5 MB per partition; spread the records so that
        // all of them are still there when the consumers read them back.
        let partitions = CBaseline.partitions(messages: messages, size: size, least: self.partitions)
        // The broker runs as a process of its own (`otppool broker`), so that neither client shares a process, and
        // its CPU, with it. Fresh topics each round, so every round reads back exactly what it wrote.
        let topics = (1...rounds).flatMap { ["bench.c.\($0)", "bench.swift.\($0)"] }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otppool-kafka-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let bootstrapFile = directory.appendingPathComponent("bootstrap").path
        let broker = try ChildProcess(
            name: "broker", executable: ChildProcess.ownExecutable,
            arguments: ["broker", "--brokers", "1", "--bootstrap-file", bootstrapFile, "--log-level", "warning", "--topics"]
                + topics.map { "\($0):\(partitions)" },
            logDirectory: directory)
        defer {
            broker.signal(SIGKILL)
            try? FileManager.default.removeItem(at: directory)
        }
        let bootstrap = try await BenchCluster.bootstrapServers(written: bootstrapFile, by: broker).joined(separator: ",")
        print("kafka bench: \(messages) records of \(size) bytes, a standalone broker process (1 broker), \(partitions) partitions per topic, \(rounds) rounds")

        var c: [(produce: Double, consume: Double)] = []
        var swift: [(produce: Double, consume: Double)] = []
        for round in 1...rounds {
            let cTopic = "bench.c.\(round)"
            let swiftTopic = "bench.swift.\(round)"

            progress("round \(round)/\(rounds): raw librdkafka (C) producing and consuming …")
            let rates = try baseline.run(bootstrap: bootstrap, topic: cTopic, messages: messages, size: size)
            c.append((rates.produce, rates.consume))
            print(Self.row("round \(round) C", c[round - 1]))

            let bench = SwiftKafkaBench(bootstrap: bootstrap, topic: swiftTopic, messages: messages, size: size, logger: logger)
            progress("round \(round)/\(rounds): Swift layer producing …")
            let produce = try await bench.produce()
            progress("round \(round)/\(rounds): Swift layer consuming …")
            let consume = try await bench.consume()
            swift.append((produce, consume))
            print(Self.row("round \(round) Swift", swift[round - 1]))
        }
        broker.signal(SIGTERM)
        _ = await broker.waitForExit(timeout: .seconds(10))

        let cMedian = (produce: Self.median(c.map(\.produce)), consume: Self.median(c.map(\.consume)))
        let swiftMedian = (produce: Self.median(swift.map(\.produce)), consume: Self.median(swift.map(\.consume)))
        print(Self.row("median C (librdkafka)", cMedian))
        print(Self.row("median Swift (Kafka)", swiftMedian))
        print(String(format: "RESULT produce_ratio=%.2f consume_ratio=%.2f", swiftMedian.produce / cMedian.produce, swiftMedian.consume / cMedian.consume))
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private static func row(_ name: String, _ figures: (produce: Double, consume: Double)) -> String {
        "\(name.padding(toLength: 24, withPad: " ", startingAt: 0)) produce \(format(figures.produce)) msg/s   consume \(format(figures.consume)) msg/s"
    }

    private static func format(_ rate: Double) -> String {
        let text = String(Int(rate.rounded()))
        return String(repeating: " ", count: max(0, 9 - text.count)) + text
    }

    private func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
