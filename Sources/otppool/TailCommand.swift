import Activation
import ArgumentParser
import Escalation
import Foundation
import Kafka
import Runtime

/// `otppool tail`: follow lifecycle events, filtered by request, account or kind.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow lifecycle events on the events topic, one line each (Ctrl-C stops).",
        discussion: "Codes are masked unless --show-codes. Reads in a group of its own and commits nothing, so Ctrl-C simply stops it.")

    @Option(name: .customLong("request"), help: "Only this request ID (repeatable).")
    var requests: [String] = []

    @Option(help: "Only this account.")
    var account: String?

    @Option(name: .customLong("kind"), help: "Only these kinds, comma separated (number_allocated, completed, expired …).")
    var kinds: String?

    @Flag(help: "Start from the beginning of the topic instead of new events only.")
    var fromBeginning = false

    @Option(help: "Stop after this many matching events.")
    var limit: Int?

    @Flag(help: "Print each event as its JSON (one per line) instead of a readable line.")
    var json = false

    @Flag(help: "Print codes in full (they are secrets of the end user: only where needed).")
    var showCodes = false

    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        for kind in kindSet where ActivationEventKind(rawValue: kind) == nil {
            throw ValidationError("--kind \(kind) is unknown; use \(ActivationEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    private var kindSet: Set<String> {
        Set((kinds ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    func run() async throws {
        let settings = try await config.load(kafka.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.tail")
        let client = try await settings.kafkaClient("otppool-tail")
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: "otppool-tail-\(UUID().uuidString.prefix(8))", offsetReset: fromBeginning ? .earliest : .latest),
            logger: logger)
        try consumer.subscribe(topics: [settings.kafka.topic("events")])
        // Ctrl-C ends the process as it is: the group is this run's own and nothing is committed, so there is
        // nothing to hand back. (A signal-watching task cancelled at exit could trip libdispatch.)
        let filter = EventFilter(requests: Set(requests), account: account, kinds: kindSet)
        let decoder = WireDecoder()
        let colour = Terminal.colour
        var printed = 0
        events: for await event in consumer.events {
            guard case .messages(let batch) = event else { continue }
            for message in batch {
                guard let decoded = try? decoder.decodeEvent(message.value) else {
                    FileHandle.standardError.write(Data("skipping an undecodable record at \(message.topic)[\(message.partition)]@\(message.offset)\n".utf8))
                    continue
                }
                guard filter.matches(decoded) else { continue }
                var shown = decoded
                if !showCodes { shown.code = shown.maskedCode }
                print(json ? String(decoding: try WireFormat.encode(shown), as: UTF8.self) : EventLine.render(shown, colour: colour))
                printed += 1
                if let limit, printed >= limit { break events }
            }
        }
        await consumer.close()
    }
}

/// Which events `otppool tail` prints.
struct EventFilter {
    var requests: Set<String>
    var account: String?
    var kinds: Set<String>

    func matches(_ event: ActivationEvent) -> Bool {
        (requests.isEmpty || requests.contains(event.requestID)) && (account == nil || event.accountID == account)
            && (kinds.isEmpty || kinds.contains(event.kind.rawValue))
    }
}

/// One readable line per event: time, kind, request, account, attempt and route, state, and what it carries.
enum EventLine {
    static func render(_ event: ActivationEvent, colour: Bool) -> String {
        let style: TextTable.Style? =
            switch event.kind {
            case .completed: .green
            case .expired, .failed, .rejected, .commandRejected: .red
            case .retrying, .cancelled, .disputed: .yellow
            default: nil
            }
        var parts = [
            RFC3339.format(event.occurredAt), style?.apply(event.kind.rawValue, colour: colour) ?? event.kind.rawValue, event.requestID,
            event.accountID ?? "-",
        ]
        if event.attempt > 0 {
            parts.append("#\(event.attempt) " + [event.supplier, event.country, event.numberType].compactMap { $0 }.joined(separator: "/"))
        }
        if let state = event.state { parts.append(state.rawValue) }
        if let phone = event.phoneNumber { parts.append(phone) }
        if let code = event.code { parts.append("code \(code)") }
        if let price = event.priceMinor { parts.append(Money(amountMinor: price, currency: event.currency ?? "USD").description) }
        if let next = event.nextRoute { parts.append("next \(next.supplier)/\(next.country)/\(next.numberType)") }
        if let reason = event.reasonCode { parts.append("reason \(reason)") }
        return parts.joined(separator: "  ")
    }
}
