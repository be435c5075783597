import Foundation
import Hummingbird
import Pool

/// The dead-letter pages: the list, one record, and the confirm step of a filtered replay (read-only: its form
/// posts to ``replaySet(_:)``).
extension OperatorConsole {
    var replayAvailable: Bool { replayer != nil }

    func deadLetters(_ request: Request) async throws -> Response {
        let query = DeadLetterQuery(fields: FormFields(request.uri.query))
        let listed: Result<[DeadLetterSummary], Overview.Failure>
        let counts: Result<[String: Int], Overview.Failure>
        switch query.filter(now: Date()) {
        case .failure(let failure):
            (listed, counts) = (.failure(failure), .failure(failure))
        case .success(let filter):
            var everyReason = filter
            everyReason.reasonCode = nil
            do { listed = .success(try await backend.deadLetters(filter)) } catch { listed = .failure(.init(message: "the listing failed: \(error)")) }
            do { counts = .success(try await backend.deadLetterCounts(everyReason)) } catch { counts = .failure(.init(message: "\(error)")) }
        }
        let notice: Layout.Notice? = query.fields["done"] == "replayed"
            ? .init(kind: .ok, text: "Replayed \(query.fields["count"] ?? "the") dead letter(s): the replays column counts them; "
                + "each one's page says who replayed it, when and where it landed.")
            : nil
        let status: HTTPResponse.Status = if case .failure = listed { .badRequest } else { .ok }
        return Self.html(status, DeadLettersPage.page(
            query: query, counts: counts, listed: listed, viewer: viewer(request), replayAvailable: replayAvailable, notice: notice))
    }

    func deadLetter(_ request: Request) async throws -> Response {
        let fields = FormFields(request.uri.query)
        guard let id = fields["id"].flatMap(Int64.init) else { return Self.redirect(DeadLettersPage.path) }
        guard let letter = try await backend.deadLetter(id: id) else { return deadLetterNotFound(id, request) }
        let notice: Layout.Notice? = fields["done"] == "replayed"
            ? .init(kind: .ok, text: "Replayed dead letter \(id): on record below with who, when and where it landed.")
            : nil
        return Self.html(.ok, DeadLetterPage.page(letter, viewer: viewer(request), replayAvailable: replayAvailable, notice: notice))
    }

    /// The confirm step: how many a filtered replay takes (those replayed before only when the filter asks for them).
    func confirmReplaySet(_ request: Request) async throws -> Response {
        let query = DeadLetterQuery(fields: FormFields(request.uri.query))
        let viewer = viewer(request)
        let back = DeadLettersPage.link(query.encoded())
        if let obstacle = DeadLetterReplayNotes.obstacle(viewer: viewer, replayAvailable: replayAvailable, back: DeadLetterReplaySetPage.link(query.encoded())) {
            return Self.html(.ok, Layout.page(title: "Replay dead letters", section: .deadLetters, viewer: viewer,
                                              "\(obstacle)<p><a href=\"\(back)\">back to the list</a></p>"))
        }
        guard let replayer else { return replayUnavailable(request) }
        guard case .success(var filter) = query.filter(now: Date(), limit: DeadLetterReplaySetPage.limit) else {
            return Self.redirect(back)
        }
        filter.replayed = filter.replayed ?? false
        return Self.html(.ok, DeadLetterReplaySetPage.page(try await replayer.replayCandidates(filter), query: query, viewer: viewer))
    }

    func deadLetterNotFound(_ id: Int64, _ request: Request) -> Response {
        Self.html(.notFound, Layout.page(title: "Not found", section: .deadLetters, viewer: viewer(request),
            "<p class=\"notice error\">No dead letter \(String(id)) in this database; the list shows those there are.</p>"))
    }
}
