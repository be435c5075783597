import Escalation
import Foundation
import Hummingbird
import Pool

/// The read-only pages.
extension OperatorConsole {
    func overview(_ request: Request) async throws -> Response {
        Self.html(.ok, OverviewPage.page(await Overview.gather(backend: backend, figures: figures), viewer: viewer(request)))
    }

    func overviewLive() async throws -> Response {
        Self.html(.ok, OverviewPage.live(await Overview.gather(backend: backend, figures: figures)))
    }

    func activations(_ request: Request) async throws -> Response {
        let fields = FormFields(request.uri.query)
        let results: Result<[ActivationListing], Overview.Failure>
        switch ActivationsPage.search(fields) {
        case .failure(let failure):
            results = .failure(failure)
        case .success(let search):
            do {
                results = .success(try await backend.activations(search))
            } catch {
                results = .failure(.init(message: "the search failed: \(error)"))
            }
        }
        let status: HTTPResponse.Status = if case .failure = results { .badRequest } else { .ok }
        return Self.html(status, ActivationsPage.page(fields: fields, results: results, viewer: viewer(request)))
    }

    func activation(_ request: Request) async throws -> Response {
        guard let id = FormFields(request.uri.query)["id"] else { return Self.redirect("/console/activations") }
        guard let record = try await backend.activationRecord(requestID: id) else {
            return Self.html(.notFound, Layout.page(title: "Not found", section: .activations, viewer: viewer(request),
                "<p class=\"notice error\">No request \(id) in this database (never received, or another database).</p>"))
        }
        return Self.html(.ok, ActivationPage.page(record, viewer: viewer(request)))
    }

    func escalations(_ request: Request) async throws -> Response {
        let fields = FormFields(request.uri.query)
        let now = Date()
        let listings: Result<[EscalationListing], Overview.Failure>
        switch EscalationsPage.filter(fields, now: now) {
        case .failure(let failure):
            listings = .failure(failure)
        case .success(let filter):
            do {
                listings = .success(try await backend.escalations(filter))
            } catch {
                listings = .failure(.init(message: "the listing failed: \(error)"))
            }
        }
        let queues: Result<EscalationsPage.Queues, Overview.Failure>
        do {
            queues = .success(.init(counts: try await backend.escalationCounts(), oldest: try await backend.oldestOpenEscalations(now: now)))
        } catch {
            queues = .failure(.init(message: "\(error)"))
        }
        let status: HTTPResponse.Status = if case .failure = listings { .badRequest } else { .ok }
        return Self.html(status, EscalationsPage.page(fields: fields, queues: queues, listings: listings, viewer: viewer(request), now: now))
    }

    func escalation(_ request: Request) async throws -> Response {
        let fields = FormFields(request.uri.query)
        guard let id = fields["id"] else { return Self.redirect("/console/escalations") }
        guard let record = try await backend.escalation(requestID: id) else { return notFound(id, request) }
        let notice: Layout.Notice? = switch fields["done"] {
        case "taken": .init(kind: .ok, text: "Taken: \(id) is in progress.")
        case "resolved": .init(kind: .ok, text: "Resolved \(id).")
        default: nil
        }
        return Self.html(.ok, EscalationPage.page(record, viewer: viewer(request), notice: notice))
    }

    /// The Markdown package of `otppool escalations export`, as a download.
    func export(_ request: Request) async throws -> Response {
        guard let id = FormFields(request.uri.query)["id"], let record = try await backend.escalation(requestID: id) else {
            return notFound(FormFields(request.uri.query)["id"] ?? "", request)
        }
        let name = String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return Response(
            status: .ok,
            headers: [.contentType: "text/markdown; charset=utf-8", .contentDisposition: "attachment; filename=\"escalation-\(name).md\""],
            body: .init(byteBuffer: ByteBuffer(string: EscalationReport(record).markdown())))
    }

    func notFound(_ id: String, _ request: Request) -> Response {
        Self.html(.notFound, Layout.page(title: "Not found", section: .escalations, viewer: viewer(request),
            "<p class=\"notice error\">No escalation for request \(id); the list shows those there are.</p>"))
    }
}
