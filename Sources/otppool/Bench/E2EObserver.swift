import Activation
import Foundation
import Kafka
import Logging
import Synchronization

/// Reads the events topic during an end-to-end benchmark and keeps, per request, when its number was
/// allocated and when (and how) it ended.
final class E2EObserver: Sendable {
    struct Seen: Sendable {
        var allocatedAt: [String: Date] = [:]
        var ended: [String: (kind: ActivationEventKind, at: Date)] = [:]
        /// Records on the topic that did not decode as events (a fault suite failure to explain).
        var undecodable = 0
        /// The last offset read per partition, and the offsets this reader never got (a jump past the next
        /// offset: the topic has no control records, so each gap is records skipped, not absent).
        var lastOffset: [Int32: Int64] = [:]
        var gaps: [String] = []
        /// Filled when terminal events are missing at the end (``unreadTails()``).
        var unreadTails: [String] = []
    }

    /// What the reader takes an event's request, kind and time from.
    enum Reading: Sendable {
        /// The record's key and its `kind` and `ce_time` headers, as a consumer routing by CloudEvents type reads
        /// them: the throughput benchmark's reader, which would otherwise decode every event's JSON (its timeline
        /// summary included) and take a twelfth of the machine the pool is measured on. A record without them is
        /// decoded whole.
        case headers
        /// Every record's JSON value decoded and validated as an event: the fault suite's reader, for which a record
        /// that is not a valid event is a finding.
        case values
    }

    private let consumer: KafkaConsumer
    private let reading: Reading
    private let seen = Mutex(Seen())

    /// Joins a fresh group on `topic`, reading from its start (the benchmark's topics are its own).
    init(client: KafkaClientOptions, topic: String, reading: Reading = .values, logger: Logger) throws {
        self.reading = reading
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupID: "bench-observer-\(UUID().uuidString.prefix(8))"),
            logger: logger)
        try consumer.subscribe(topics: [topic])
    }

    /// Reads until ``stop()``.
    func run() async {
        let decoder = WireDecoder()
        for await event in consumer.events {
            guard case .messages(let batch) = event else { continue }
            let decoded = batch.compactMap { message in
                (reading == .headers ? Self.attributes(of: message) : nil) ?? (try? decoder.decodeEvent(message.value)).map {
                    (requestID: $0.requestID, kind: $0.kind, occurredAt: $0.occurredAt)
                }
            }
            seen.withLock { seen in
                seen.undecodable += batch.count - decoded.count
                for message in batch {
                    let last = seen.lastOffset[message.partition] ?? -1
                    if message.offset > last + 1 {
                        seen.gaps.append("partition \(message.partition): offsets \(last + 1)…\(message.offset - 1) never read")
                    }
                    seen.lastOffset[message.partition] = max(last, message.offset)
                }
                for event in decoded {
                    if event.kind == .numberAllocated, seen.allocatedAt[event.requestID] == nil {
                        seen.allocatedAt[event.requestID] = event.occurredAt
                    }
                    if event.kind.isTerminal, seen.ended[event.requestID] == nil {
                        seen.ended[event.requestID] = (event.kind, event.occurredAt)
                    }
                }
            }
        }
    }

    func stop() async { await consumer.close() }

    /// An event record's request ID (its key), kind (`kind`) and time (`ce_time`), when it carries all three.
    static func attributes(
        of message: KafkaMessage
    ) -> (requestID: String, kind: ActivationEventKind, occurredAt: Date)? {
        guard let requestID = message.keyString,
            let kind = message.header("kind")?.stringValue.flatMap(ActivationEventKind.init(rawValue:)),
            let occurredAt = message.header("ce_time")?.stringValue.flatMap(RFC3339.parse)
        else { return nil }
        return (requestID, kind, occurredAt)
    }

    /// The partitions this reader has not read to their end, each with the last offset read and the end its leader
    /// gives now, and how often its fetching was found stalled and restarted: tells a reader stuck at a
    /// partition's tail (whose skipped records leave no gap, nothing comes after them) from a record never written.
    func unreadTails() async -> [String] {
        let lastOffset = seen.withLock { $0.lastOffset }
        var tails: [String]
        do {
            tails = try await consumer.endOffsets().sorted { $0.key.partition < $1.key.partition }.compactMap { partition, end in
                let last = lastOffset[partition.partition] ?? -1
                return end > last + 1 ? "partition \(partition.partition): read up to offset \(last), its end is \(end)" : nil
            }
        } catch {
            tails = ["its partitions' ends could not be asked: \(error)"]
        }
        let restarts = consumer.fetchRestarts
        if restarts > 0 { tails.append("its fetching was found stalled and restarted \(restarts) time(s)") }
        return tails
    }

    /// Reads `topic` once more from its start, in a fresh group, and returns where each of `requestIDs` has
    /// records and of what kind ("3@17 number_allocated"), and how many records it read in all: tells a record lost
    /// by the broker from one a reader skipped. Reads until nothing came for 5 s after the first record (waiting at
    /// most ``firstRecordWait`` for that one: joining the group takes seconds), at most 60 s in all.
    static func find(
        _ requestIDs: Set<String>, client: KafkaClientOptions, topic: String
    ) async throws -> (records: [String: [String]], read: Int) {
        struct Found {
            var records: [String: [String]] = [:]
            var read = 0
            var last: ContinuousClock.Instant?
        }
        let reader = try E2EObserver(client: client, topic: topic, logger: Logger.quiet)
        let found = Mutex(Found())
        let reading = Task {
            let decoder = WireDecoder()
            for await event in reader.consumer.events {
                guard case .messages(let batch) = event else { continue }
                let matches = batch.compactMap { message -> (String, String)? in
                    guard let event = try? decoder.decodeEvent(message.value), requestIDs.contains(event.requestID) else { return nil }
                    return (event.requestID, "\(message.partition)@\(message.offset) \(event.kind.rawValue)")
                }
                found.withLock { found in
                    found.read += batch.count
                    found.last = .now
                    for (requestID, record) in matches { found.records[requestID, default: []].append(record) }
                }
            }
        }
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(60) {
            let last = found.withLock { $0.last }
            if let last, ContinuousClock.now - last >= .seconds(5) { break }
            if last == nil, ContinuousClock.now - start >= firstRecordWait { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        await reader.stop()
        reading.cancel()
        return found.withLock { ($0.records, $0.read) }
    }

    /// How long ``find(_:client:topic:)`` waits for its first record before it reports reading none.
    static let firstRecordWait: Duration = .seconds(30)

    var counts: (allocated: Int, ended: Int) { seen.withLock { ($0.allocatedAt.count, $0.ended.count) } }

    var snapshot: Seen { seen.withLock { $0 } }
}
