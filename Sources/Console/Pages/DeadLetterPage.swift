import Foundation
import Kafka
import Pool

/// One dead letter: why, where it came from, its headers and payload rendered safely, its replays, and the
/// replay form.
///
/// Every value from the message goes through ``safe(_:limit:)``: the CLI's `DeadLetterText` (invalid UTF-8 and
/// control characters escaped, secret-named fields as `***`, capped), then the console's ``Masking`` (codes in
/// supplier-shaped text). The `HTML` type escapes the result, so a payload cannot be markup either.
enum DeadLetterPage {
    static func link(_ id: Int64) -> String { "/console/dead-letter?id=\(id)" }

    /// Untrusted bytes as text a page may show.
    static func safe(_ bytes: Data, limit: Int = DeadLetterText.defaultLimit) -> String {
        Masking.supplierText(DeadLetterText.render(bytes, limit: limit))
    }

    /// Untrusted text (a claimed ID, a reason, an operator's note) as text a page may show.
    static func safe(_ text: String, limit: Int = 256) -> String { safe(Data(text.utf8), limit: limit) }

    /// `topic[partition]@offset`, as `otppool dlq` writes it.
    static func describe(_ source: DeadLetterSource) -> String { "\(source.topic)[\(source.partition)]@\(source.offset)" }

    static func page(
        _ letter: DeadLetter, viewer: Viewer, replayAvailable: Bool, notice: Layout.Notice? = nil, now: Date = Date()
    ) -> HTML {
        let identity = letter.identity
        return Layout.page(title: "Dead letter \(letter.id)", section: .deadLetters, viewer: viewer, notice: notice, """
            <dl class="facts">
            <dt>reason</dt><dd id="reason"><strong>\(letter.reasonCode)</strong>: \(safe(letter.reason, limit: 1_000))</dd>
            <dt>source</dt><dd id="source"><code>\(describe(letter.source))</code>\
            \(letter.producedAt.map { " · produced \(Format.time($0))" } ?? "")</dd>
            <dt>dead-lettered</dt><dd>\(Format.time(letter.deadLetteredAt)) (\(Format.age(now.timeIntervalSince(letter.deadLetteredAt))) ago)</dd>
            <dt>claims</dt><dd>request \(claimed(identity.requestID)) · idempotency key \(safe(identity.idempotencyKey ?? "–")) · \
            account \(safe(identity.accountID ?? "–"))</dd>
            <dt>key</dt><dd><code>\(letter.key.map { safe($0, limit: 256) } ?? "(none)")</code></dd>
            </dl>
            \(replays(letter, now: now))
            \(replayForm(letter, viewer: viewer, replayAvailable: replayAvailable))
            \(headers(letter.headers))
            <section id="payload"><h2>Payload (\(letter.value.count) bytes)</h2><pre>\(safe(letter.value))</pre></section>
            """)
    }

    /// A claimed request ID links to its activation (which exists when the worker read the ID and refused it).
    private static func claimed(_ requestID: String?) -> HTML {
        guard let requestID else { return "–" }
        return "<a href=\"\(ActivationPage.link(requestID))\">\(safe(requestID))</a>"
    }

    private static func headers(_ headers: [KafkaHeader]) -> HTML {
        guard !headers.isEmpty else { return "<section id=\"headers\"><h2>Headers</h2><p class=\"muted\">none</p></section>" }
        let rows = headers.map { header -> HTML in
            let value = header.value.map { DeadLetterText.isSecret(header.key) ? "***" : safe($0, limit: 256) } ?? "(null)"
            return "<tr><th>\(safe(header.key))</th><td><code>\(value)</code></td></tr>"
        }
        return "<section id=\"headers\"><h2>Headers</h2><div class=\"scroll\"><table><tbody>\(rows)</tbody></table></div></section>"
    }

    private static func replays(_ letter: DeadLetter, now: Date) -> HTML {
        guard !letter.replays.isEmpty else { return "<section id=\"replays\"><h2>Replays</h2><p class=\"muted\">never replayed</p></section>" }
        let rows = letter.replays.map { replay -> HTML in
            """
            <tr><td title="\(Format.time(replay.replayedAt))">\(Format.time(replay.replayedAt)) (\(Format.age(now.timeIntervalSince(replay.replayedAt))) ago)</td>\
            <td class="by">\(safe(replay.replayedBy))</td><td>\(replay.note.map { safe($0, limit: 1_000) } ?? "–")</td>\
            <td><code>\(describe(replay.target))</code></td></tr>
            """
        }
        return """
            <section id="replays"><h2>Replays</h2><div class="scroll"><table><thead><tr><th>when</th><th>by</th><th>note</th>\
            <th>landed</th></tr></thead><tbody>\(rows)</tbody></table></div></section>
            """
    }

    private static func replayForm(_ letter: DeadLetter, viewer: Viewer, replayAvailable: Bool) -> HTML {
        let safety: HTML = "<p class=\"muted\" id=\"replay-safety\">\(DeadLetterReplayNotes.safeToRepeat)</p>"
        if let obstacle = DeadLetterReplayNotes.obstacle(viewer: viewer, replayAvailable: replayAvailable, back: link(letter.id)) {
            return "<section id=\"actions\" class=\"actions\">\(obstacle)\(safety)</section>"
        }
        return """
            <section id="actions"><form method="post" action="/console/dead-letter/replay" class="actions resolve">\(viewer.csrfField)\
            <input type="hidden" name="id" value="\(String(letter.id))">\(DeadLetterReplayNotes.fields)\
            <button id="replay">Replay onto \(letter.source.topic)</button></form>\(safety)</section>
            """
    }
}
