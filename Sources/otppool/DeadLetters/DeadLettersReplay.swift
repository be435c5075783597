import ArgumentParser
import Escalation
import Foundation
import Kafka
import Pool
import Runtime

/// `otppool dlq replay <id> | --all [filters]`.
struct DeadLettersReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Put dead letters back on the topic they came from, on record with who, when and why.",
        discussion: """
            Give one ID, or filters with --all (a filtered set is never replayed by accident). A filtered set \
            leaves out what was replayed before unless --include-replayed, and replays the newest --limit matching, \
            oldest first. The replayed record is the original key, value and headers, plus otp-replay-of: <id> and \
            otp-replayed-by: <who>. Requests are idempotent by their idempotency key: a request already taken in \
            re-emits its state and never buys twice.
            """)

    @Argument(help: "The dead letter's ID; or leave it out and select with filters and --all.")
    var id: String?

    @OptionGroup var filters: DeadLetterFilterOptions

    @Flag(help: "Replay every dead letter the filters select (required without an ID).")
    var all = false

    @Flag(help: "With --all: also those replayed before.")
    var includeReplayed = false

    @Option(help: "With --all: the most to replay.")
    var limit: Int = 100

    @Option(name: .customLong("as"), help: "Who replays (default: USER); on record and in the otp-replayed-by header.")
    var who: String?

    @Option(help: "Why, for the record.")
    var note: String?

    @Flag(help: "Print what would be replayed; produce and record nothing.")
    var dryRun = false

    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let id {
            _ = try DeadLettersCommand.parseID(id)
            guard filters.isEmpty, !all, !includeReplayed else {
                throw ValidationError("give an ID or filters with --all, not both.")
            }
        } else {
            guard all else {
                throw ValidationError("give a dead letter's ID, or filters (--reason, --since …) with --all to replay a set.")
            }
        }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
        guard operatorName != nil else {
            throw ValidationError("say who replays with --as NAME (USER is not set).")
        }
    }

    /// `--as`, else `USER`; nil when neither names anybody.
    var operatorName: String? {
        (who ?? ProcessInfo.processInfo.environment["USER"]).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() async throws {
        let who = operatorName ?? ""
        let settings = try await config.load(kafka.overrides, postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.dlq")
        // A dry run reads PostgreSQL only.
        var producer: KafkaProducer?
        if !dryRun {
            producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: try await settings.kafkaClient("otppool-dlq")), logger: logger)
        }
        do {
            try await producer?.checkConnection(timeout: .seconds(10))
            try await settings.withStore(applicationName: "otppool-dlq", logger: logger) { [producer] store in
                guard let producer else { return try await printDryRun(store: store, topics: settings.kafka.topics) }
                let replayer = DeadLetterReplayer(store: store, producer: producer, topics: settings.kafka.topics, logger: logger)
                try await replay(with: replayer, who: who)
            }
        } catch {
            await producer?.close()
            throw error
        }
        await producer?.close()
    }

    private func replay(with replayer: DeadLetterReplayer, who: String) async throws {
        if let id {
            let replay = try await replayer.replay(id: try DeadLettersCommand.parseID(id), by: who, note: note)
            print(Self.line(replay))
            return
        }
        let replays = try await replayer.replay(matching: selection, by: who, note: note) { print(Self.line($0)) }
        print("\(replays.count) replayed by \(who)")
    }

    /// The set `--all` selects.
    private var selection: DeadLetterFilter {
        filters.filter(now: Date(), replayed: includeReplayed ? nil : false, limit: limit)
    }

    /// What the replay would do, read-only: the dead letters, and where each would go.
    private func printDryRun(store: ActivationStore, topics: ActivationTopics) async throws {
        var selected: [(id: Int64, reason: String, requestID: String?, source: DeadLetterSource)] = []
        if let id {
            guard let letter = try await store.deadLetter(id: try DeadLettersCommand.parseID(id)) else {
                throw ValidationError("no dead letter \(id); `otppool dlq list` shows those there are")
            }
            guard topics.acceptsReplay(of: letter.source) else {
                throw ValidationError("dead letter \(letter.id) came from \(letter.source.topic); this deployment replays onto \(topics.requests) and \(topics.commands) (--topic-prefix)")
            }
            selected = [(letter.id, letter.reasonCode, letter.identity.requestID, letter.source)]
        } else {
            selected = try await store.replayCandidates(selection, topics: topics).map { ($0.id, $0.reasonCode, $0.identity.requestID, $0.source) }
        }
        for letter in selected {
            print("would replay \(letter.id) (\(letter.reason), request \(letter.requestID ?? "-")) → \(letter.source.topic)")
        }
        print("dry run: \(selected.count) selected; nothing produced or recorded")
    }

    static func line(_ replay: DeadLetterReplay) -> String {
        "replayed \(replay.deadLetterID) → \(DeadLettersCommand.describe(replay.target)) by \(replay.replayedBy)"
            + (replay.note.map { " (\($0))" } ?? "")
    }
}
