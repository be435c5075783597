import ArgumentParser
import Foundation

/// Raw librdkafka in C (`kafka-bench-c`, built next to `otppool`): what this machine's broker and client library
/// do without the Swift layer, the yardstick `bench kafka` compares the layer with and `bench e2e` scales its
/// figures by, so that runs on different machines compare.
struct CBaseline {
    /// Messages per second each way.
    struct Rates {
        var produce: Double
        var consume: Double
    }

    let path: String

    /// - Parameter path: the executable; nil for `kafka-bench-c` next to this one.
    /// - Throws: `ValidationError` saying how to build it when it is not there.
    init(path: String?) throws {
        let path = path ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("kafka-bench-c").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ValidationError(
                "the C baseline is not at \(path); build it with `swift build -c release --product kafka-bench-c`, or pass --c-baseline (bench e2e: --c-baseline-messages 0 runs without it).")
        }
        self.path = path
    }

    /// Partitions a topic needs so that the embedded broker, which keeps about 4 MB per partition, still holds all
    /// `messages` records of `size` bytes when they are read back.
    static func partitions(messages: Int, size: Int, least: Int) -> Int {
        let retainedPerPartition = 4 << 20
        return max(least, (messages * (size + 80) + retainedPerPartition - 1) / retainedPerPartition)
    }

    /// Produces `messages` records of `size` bytes to `topic`, then reads them back, and returns both rates.
    ///
    /// - Throws: `ValidationError` with the program's output when it fails.
    func run(bootstrap: String, topic: String, messages: Int, size: Int) throws -> Rates {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [bootstrap, topic, String(messages), String(size)]
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
        guard process.terminationStatus == 0, let produce = figures["produce_msgs_per_s"],
            let consume = figures["consume_msgs_per_s"]
        else {
            throw ValidationError("the C baseline failed (exit \(process.terminationStatus)): \(text)")
        }
        return Rates(produce: produce, consume: consume)
    }
}
