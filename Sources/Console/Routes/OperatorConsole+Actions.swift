import HTTPTypes
import Escalation
import Foundation
import Hummingbird

/// The forms that change something: sign in and out, take and resolve. Each goes through ``ActionGuard`` first and
/// answers with a redirect (post/redirect/get), or a page saying why it was refused.
extension OperatorConsole {
    /// The largest form the console reads.
    static let maxFormBytes = 64 * 1024

    func take(_ request: Request) async throws -> Response {
        let form = try await Self.form(request)
        if let refusal = actionGuard.check(request, form: form) { return refused(refusal, request) }
        guard let id = form["id"] else { return invalid("the form names no escalation", request) }
        guard let record = try await backend.updateEscalation(requestID: id, { $0.started(at: Date()) }) else {
            return notFound(id, request)
        }
        logger.info("console: escalation taken", metadata: ["request.id": "\(id)", "escalation.queue": "\(record.queue.rawValue)"])
        return Self.redirect(EscalationPage.link(id) + "&done=taken")
    }

    func resolve(_ request: Request) async throws -> Response {
        let form = try await Self.form(request)
        if let refusal = actionGuard.check(request, form: form) { return refused(refusal, request) }
        guard let id = form["id"] else { return invalid("the form names no escalation", request) }
        guard let note = form["note"] else { return invalid("say what was done: the note is required to resolve", request) }
        let by = form["by"] ?? "console"
        guard let record = try await backend.updateEscalation(requestID: id, { $0.resolved(note: note, by: by, at: Date()) }) else {
            return notFound(id, request)
        }
        logger.info("console: escalation resolved", metadata: ["request.id": "\(id)", "escalation.queue": "\(record.queue.rawValue)"])
        return Self.redirect(EscalationPage.link(id) + "&done=resolved")
    }

    func login(_ request: Request) async throws -> Response {
        let form = try await Self.form(request)
        let next = Self.safeNext(form["next"])
        if let refusal = actionGuard.check(request, form: form, requireSession: false) { return refused(refusal, request) }
        guard let token, let sent = form["token"], RandomToken.equal(sent, token) else {
            logger.notice("console: sign-in refused (wrong token)")
            // Slows guessing down; tokens are long enough that this is a courtesy, not the defence.
            try? await Task.sleep(for: .milliseconds(300))
            return Self.html(.forbidden, LoginPage.page(viewer: viewer(request), next: next,
                                                        notice: .init(kind: .error, text: "That is not this process's console token.")))
        }
        let session = sessions.start()
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https"
        return Self.redirect(next, headers: [
            .setCookie: ConsoleCookies.starting(session.id, lifetime: Int(sessions.lifetime), secure: secure),
        ])
    }

    func logout(_ request: Request) async throws -> Response {
        let form = try await Self.form(request)
        if let refusal = actionGuard.check(request, form: form) { return refused(refusal, request) }
        sessions.end(ConsoleCookies.session(of: request))
        return Self.redirect("/console", headers: [.setCookie: ConsoleCookies.ending])
    }

    func refused(_ refusal: ActionGuard.Refusal, _ request: Request) -> Response {
        logger.notice("console: action refused", metadata: ["console.refusal": "\(refusal)"])
        return Self.html(.forbidden, Layout.page(title: "Refused", section: nil, viewer: viewer(request),
                                                 "<p class=\"notice error\" id=\"refusal\">\(refusal.message)</p>"))
    }

    func invalid(_ message: String, _ request: Request) -> Response {
        Self.html(.badRequest, Layout.page(title: "Not done", section: nil, viewer: viewer(request),
                                           "<p class=\"notice error\" id=\"refusal\">\(message); go back and correct the form.</p>"))
    }

    /// The urlencoded body of a form.
    static func form(_ request: Request) async throws -> FormFields {
        var request = request
        let body = try await request.collectBody(upTo: maxFormBytes)
        return FormFields(String(buffer: body))
    }
}
