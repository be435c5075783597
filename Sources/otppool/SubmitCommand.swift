import Activation
import ArgumentParser
import Foundation
import Runtime
import Kafka
import Logging

/// `otppool submit`: put activation requests on the request topic, one or a generated batch, and
/// optionally follow their events to the end and summarise the outcomes.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit activation requests (one, or --count N generated) and optionally --wait for their outcomes.")

    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var config: ConfigOptions

    @Option(help: "Account that pays.")
    var account: String = "acct-demo"

    @Option(help: "How many requests to generate; 1 submits exactly the --service/--country request.")
    var count: Int = 1

    @Option(help: "With --count 1: the request ID (default: generated).")
    var requestID: String?

    @Option(help: "With --count 1: the idempotency key (default: generated). Sending the same key again re-emits the request's state.")
    var idempotencyKey: String?

    @Option(help: "Services to use, comma separated (generated requests pick one each).")
    var services: String = "tg"

    @Option(help: "Allowed countries in order of preference, comma separated; several lists separated by ';' are used in turn.")
    var countries: String = "usa,england"

    @Option(help: "Max price per activation in minor units.")
    var maxPriceMinor: Int64 = 2_500

    @Option(help: "Currency of the max price.")
    var currency: String = "USD"

    @Option(help: "Requests per second to submit at (default: all at once). `make demo` paces at what it measured this machine to sustain.")
    var rate: Double?

    @Flag(help: "Follow the events topic until every submitted request has ended, then print a summary.")
    var wait = false

    @Option(help: "With --wait: give up after this many seconds.")
    var timeout: Double = 600

    @Option(help: "With --wait: write one line per request, '<request-id> <outcome> [<reason-code>]', to this file.")
    var outcomesFile: String?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 1,000,000.") }
        guard count == 1 || (requestID == nil && idempotencyKey == nil) else {
            throw ValidationError("--request-id and --idempotency-key name one request: use them with --count 1.")
        }
        guard outcomesFile == nil || wait else { throw ValidationError("--outcomes-file needs --wait.") }
        guard maxPriceMinor > 0 else { throw ValidationError("--max-price-minor must be positive.") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a positive number of requests per second.") }
        guard !list(services).isEmpty, !countryLists.isEmpty, countryLists.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("--services and every --countries list need at least one code each.")
        }
    }

    func run() async throws {
        let settings = try await config.load(kafka.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.submit")
        let client = try await settings.kafkaClient("otppool-submit")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        try await producer.checkConnection(timeout: .seconds(10))
        let watcher = wait ? try await OutcomeWatcher(client: client, topic: settings.kafka.topic("events"), logger: logger) : nil

        let requests = makeRequests()
        var submittedAt: [String: Date] = [:]
        let progress = ProgressLine(label: "submitting", total: requests.count)
        // Paced: ten chunks a second, each sent when the rate allows it.
        let chunkSize = rate.map { max(1, min(500, Int(($0 / 10).rounded(.up)))) } ?? 500
        let start = ContinuousClock.now
        var sent = 0
        for chunk in stride(from: 0, to: requests.count, by: chunkSize).map({ Array(requests[$0..<min($0 + chunkSize, requests.count)]) }) {
            if let rate { try await Task.sleep(until: start + .seconds(Double(sent) / rate)) }
            let records = try chunk.map { KafkaProducerMessage(topic: settings.kafka.topic("requests"), key: $0.requestID, value: try WireFormat.encode($0)) }
            let now = Date()
            for request in chunk { submittedAt[request.requestID] = now }
            try await producer.send(records).checkDelivered()
            sent += chunk.count
            progress.advance(by: chunk.count)
        }
        progress.finish()
        await producer.close()
        if count == 1 { print("submitted \(requests[0].requestID)") }

        guard let watcher else { return }
        let outcomes = try await watcher.follow(submittedAt, timeout: .seconds(timeout))
        print(OutcomeSummary(outcomes: outcomes, submittedAt: submittedAt).rendered)
        if let outcomesFile {
            let lines = submittedAt.keys.sorted().map { requestID in
                let terminal = outcomes[requestID]?.last { $0.kind.isTerminal }
                return [requestID, terminal?.kind.rawValue ?? "unfinished", terminal?.reasonCode].compactMap { $0 }.joined(separator: " ")
            }
            do {
                try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: outcomesFile)
            } catch {
                throw ValidationError("cannot write --outcomes-file \(outcomesFile): \(error)")
            }
        }
    }

    private func makeRequests() -> [ActivationRequest] {
        let services = list(self.services)
        let lists = countryLists
        let run = UUID().uuidString.prefix(8).lowercased()
        return (0..<count).map { index in
            let id = requestID ?? "req-\(run)-\(index)"
            return ActivationRequest(
                requestID: id, idempotencyKey: idempotencyKey ?? "idem-\(run)-\(index)", accountID: account, service: services[index % services.count],
                countries: lists[index % lists.count], maxPrice: Money(amountMinor: maxPriceMinor, currency: currency),
                submittedAt: Date(), metadata: ["source": "otppool submit"])
        }
    }

    private var countryLists: [[String]] {
        countries.split(separator: ";").map { list(String($0)) }
    }

    private func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
