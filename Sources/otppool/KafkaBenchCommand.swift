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

    @Option(help: "Path of the C baseline; default: kafka-bench-c next to this executable.")
    var cBaseline: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard messages >= 2 else { throw ValidationError("--messages must be at least 2.") }
        guard (1...10_000_000).contains(size) else { throw ValidationError("--size must be between 1 and 10,000,000 bytes.") }
        guard (1...256).contains(partitions) else { throw ValidationError("--partitions must be between 1 and 256.") }
    }

    func run() async throws {
        let logger = logging.makeLogger("otppool.bench.kafka")
        // The embedded cluster keeps only about 5 MB per partition; spread the records so that
        // all of them are still there when the consumers read them back.
        let retainedPerPartition = 4 << 20
        let partitions = max(self.partitions, (messages * (size + 80) + retainedPerPartition - 1) / retainedPerPartition)
        let cluster = try EmbeddedKafkaCluster(brokers: 1, logger: logger)
        try cluster.createTopic("bench.c", partitions: partitions)
        try cluster.createTopic("bench.swift", partitions: partitions)
        print("kafka bench: \(messages) records of \(size) bytes, embedded cluster (1 broker), \(partitions) partitions per topic")

        progress("raw librdkafka (C) producing and consuming …")
        let c = try runCBaseline(bootstrap: cluster.bootstrapServers)
        print(Self.row("C (librdkafka)", c))

        let bench = SwiftKafkaBench(bootstrap: cluster.bootstrapServers, topic: "bench.swift", messages: messages, size: size, logger: logger)
        progress("Swift layer producing …")
        let swiftProduce = try await bench.produce()
        progress("Swift layer consuming …")
        let swiftConsume = try await bench.consume()
        let swift = (produce: swiftProduce, consume: swiftConsume)
        print(Self.row("Swift (Kafka module)", swift))
        await cluster.shutdown()

        print(String(format: "RESULT produce_ratio=%.2f consume_ratio=%.2f", swift.produce / c.produce, swift.consume / c.consume))
    }

    private func runCBaseline(bootstrap: String) throws -> (produce: Double, consume: Double) {
        let path = cBaseline ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kafka-bench-c").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError("the C baseline is not at \(path); build it with `swift build -c release --product kafka-bench-c` or pass --c-baseline.")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [bootstrap, "bench.c", String(messages), String(size)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let figures = Dictionary(
            text.split(whereSeparator: \.isWhitespace).compactMap { field -> (String, Double)? in
                let pair = field.split(separator: "=")
                guard pair.count == 2, let value = Double(pair[1]) else { return nil }
                return (String(pair[0]), value)
            }, uniquingKeysWith: { $1 })
        guard process.terminationStatus == 0, let produce = figures["produce_msgs_per_s"], let consume = figures["consume_msgs_per_s"] else {
            throw ValidationError("the C baseline failed (exit \(process.terminationStatus)): \(text)")
        }
        return (produce, consume)
    }

    private static func row(_ name: String, _ figures: (produce: Double, consume: Double)) -> String {
        "\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) produce \(format(figures.produce)) msg/s   consume \(format(figures.consume)) msg/s"
    }

    private static func format(_ rate: Double) -> String {
        let text = String(Int(rate.rounded()))
        return String(repeating: " ", count: max(0, 9 - text.count)) + text
    }

    private func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
