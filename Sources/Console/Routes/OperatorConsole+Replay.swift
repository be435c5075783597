import Foundation
import Hummingbird
import Kafka
import Pool

/// The replay forms: one dead letter, or the set a confirm step listed. Each goes through ``ActionGuard`` like take
/// and resolve, then the process's ``DeadLetterReplaying``, which produces and records (who, when, note, where).
extension OperatorConsole {
    /// The longest operator name taken: it goes into a Kafka header and the record.
    static let maxOperatorName = 128

    func replayOne(_ request: Request) async throws -> Response {
        let form = try await Self.form(request)
        if let refusal = actionGuard.check(request, form: form) { return refused(refusal, request) }
        guard let replayer else { return replayUnavailable(request) }
        guard let id = form["id"].flatMap(Int64.init) else { return invalid("the form names no dead letter", request) }
        guard let who = Self.operatorName(form) else { return invalid("the name in by is longer than \(Self.maxOperatorName) characters", request) }
        do {
            let replay = try await replayer.replay(id: id, by: who, note: form["note"])
            log(replay)
        } catch {
            return replayFailed(error, done: [], request)
        }
        return Self.redirect(DeadLetterPage.link(id) + "&done=replayed")
    }

    /// Replays the IDs the confirm step listed, oldest first; stops at the first failure and says what was done.
    func replaySet(_ request: Request) async throws -> Response {
        let form = try await Self.form(request)
        if let refusal = actionGuard.check(request, form: form) { return refused(refusal, request) }
        guard let replayer else { return replayUnavailable(request) }
        guard let ids = DeadLetterReplaySetPage.ids(form["ids"]) else {
            return invalid("the form lists no dead letters (or more than \(DeadLetterReplaySetPage.limit))", request)
        }
        guard let who = Self.operatorName(form) else { return invalid("the name in by is longer than \(Self.maxOperatorName) characters", request) }
        var done: [DeadLetterReplay] = []
        for id in ids {
            do {
                let replay = try await replayer.replay(id: id, by: who, note: form["note"])
                log(replay)
                done.append(replay)
            } catch {
                return replayFailed(error, done: done, request)
            }
        }
        let query = DeadLetterQuery(fields: form).encoded(dropping: ["replayed"])
        return Self.redirect(DeadLettersPage.link([query, "done=replayed&count=\(done.count)"].filter { !$0.isEmpty }.joined(separator: "&")))
    }

    /// Who replays: the form's `by`, as take and resolve record it, else `console`; nil when too long.
    static func operatorName(_ form: FormFields) -> String? {
        let who = form["by"] ?? "console"
        return who.count <= maxOperatorName ? who : nil
    }

    private func log(_ replay: DeadLetterReplay) {
        logger.info("console: dead letter replayed", metadata: [
            "dlq.id": "\(replay.deadLetterID)", "kafka.topic": "\(replay.target.topic)", "kafka.offset": "\(replay.target.offset)",
        ])
    }

    func replayUnavailable(_ request: Request) -> Response {
        Self.html(.conflict, Layout.page(title: "Not done", section: .deadLetters, viewer: viewer(request),
            "<p class=\"notice error\" id=\"refusal\">\(DeadLetterReplayNotes.unavailable)</p>"))
    }

    /// What failed, what was replayed before it, and what to do.
    private func replayFailed(_ error: any Error, done: [DeadLetterReplay], _ request: Request) -> Response {
        let (status, message): (HTTPResponse.Status, String) = switch error {
        case let error as PoolStoreError where error.code == .notFound: (.notFound, error.message)
        case let error as PoolStoreError where error.code == .notReplayable: (.conflict, error.message)
        case is KafkaError: (.badGateway, "the broker did not take the record, so nothing was recorded for it (\(error)); try again when the broker is back")
        default: (.internalServerError, "\(error)")
        }
        logger.error("console: replay failed", metadata: ["error": "\(error)", "dlq.replayed_before": "\(done.count)"])
        let before: HTML = done.isEmpty ? "" : """
            <p>Replayed before it failed: \(HTML.join(done.map { "<a href=\"\(DeadLetterPage.link($0.deadLetterID))\">\(String($0.deadLetterID))</a>" as HTML }, separator: ", ")).</p>
            """
        return Self.html(status, Layout.page(title: "Not replayed", section: .deadLetters, viewer: viewer(request),
            "<p class=\"notice error\" id=\"refusal\">Replay failed: \(message)</p>\(before)"))
    }
}
