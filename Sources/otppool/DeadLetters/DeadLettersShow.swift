import Activation
import ArgumentParser
import Escalation
import Foundation
import Pool
import Runtime

/// `otppool dlq show <id>`.
struct DeadLettersShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one dead letter: reason, source, headers, the payload (rendered safely) and its replays.")

    @Argument(help: "The dead letter's ID (the ID column of `otppool dlq list`).")
    var id: String

    @Option(help: "Show at most this many characters of the payload.")
    var maxPayload: Int = DeadLetterText.defaultLimit

    @OptionGroup var postgres: PostgresOptions
    @OptionGroup var config: ConfigOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try DeadLettersCommand.parseID(id)
        guard maxPayload >= 1 else { throw ValidationError("--max-payload must be at least 1.") }
    }

    func run() async throws {
        let id = try DeadLettersCommand.parseID(self.id)
        let settings = try await config.load(postgres.overrides, logging.overrides)
        let logger = settings.logging.bootstrap("otppool.dlq")
        let letter = try await settings.withStore(applicationName: "otppool-dlq", logger: logger) { store in
            guard let letter = try await store.deadLetter(id: id) else {
                throw ValidationError("no dead letter \(id); `otppool dlq list` shows those there are")
            }
            return letter
        }
        print(Self.render(letter, now: Date(), colour: Terminal.colour, maxPayload: maxPayload))
    }

    /// The report: every value that came from the producer goes through ``DeadLetterText``.
    static func render(_ letter: DeadLetter, now: Date, colour: Bool, maxPayload: Int) -> String {
        func safe(_ text: String) -> String { DeadLetterText.render(Data(text.utf8), limit: 256) }
        let identity = letter.identity
        var out = [
            [TextTable.Style.bold.apply("dead letter \(letter.id)", colour: colour), TextTable.Style.red.apply(letter.reasonCode, colour: colour),
             "dead-lettered \(RelativeTime.describe(letter.deadLetteredAt, now: now)) (\(RFC3339.format(letter.deadLetteredAt)))",
             letter.replays.isEmpty ? "never replayed" : "replayed \(letter.replays.count)×"].joined(separator: " · "),
            "reason: \(safe(letter.reason))",
            "source: \(DeadLettersCommand.describe(letter.source))"
                + (letter.producedAt.map { " · produced \(RFC3339.format($0))" } ?? ""),
            "claims: request \(identity.requestID ?? "-") · idempotency key \(identity.idempotencyKey ?? "-") · account \(identity.accountID ?? "-")",
            "key: " + (letter.key.map { DeadLetterText.render($0, limit: 256) } ?? "(none)"),
        ]
        out.append("")
        out.append(TextTable.Style.bold.apply("Headers", colour: colour))
        if letter.headers.isEmpty { out.append("  (none)") }
        for header in letter.headers {
            let value = header.value.map { DeadLetterText.isSecret(header.key) ? "***" : DeadLetterText.render($0, limit: 256) } ?? "(null)"
            out.append("  \(safe(header.key)): \(value)")
        }
        out.append("")
        out.append(TextTable.Style.bold.apply("Payload (\(letter.value.count) bytes)", colour: colour))
        out += DeadLetterText.render(letter.value, limit: maxPayload).split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
        out.append("")
        out.append(TextTable.Style.bold.apply("Replays", colour: colour))
        if letter.replays.isEmpty {
            out.append("  none · otppool dlq replay \(letter.id) --note \"…\"")
        } else {
            var table = TextTable(header: ["WHEN", "BY", "LANDED", "NOTE"])
            for replay in letter.replays {
                table.append([
                    .init(RelativeTime.describe(replay.replayedAt, now: now)), .init(safe(replay.replayedBy)),
                    .init(DeadLettersCommand.describe(replay.target), style: .dim), .init(replay.note.map(safe) ?? "-"),
                ])
            }
            out.append(table.render(colour: colour).split(separator: "\n").map { "  \($0)" }.joined(separator: "\n"))
        }
        return out.joined(separator: "\n")
    }
}
