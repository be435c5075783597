import Foundation
import Hummingbird
import Logging

/// The operator console: server-rendered pages under `/console` on the admin server, over the Pool's read queries.
///
/// Pages are readable by whoever reaches the admin port (loopback unless `admin.host` says otherwise). Actions
/// (take, resolve, replay) need the console token: without one configured they are refused with a message saying how to set
/// it; with one, an operator signs in once per session and every form carries the session's CSRF token and must
/// come from a console page (``ActionGuard``). Every response carries a strict Content-Security-Policy.
///
/// ```swift
/// let console = OperatorConsole(backend: store, figures: ConsoleFigures(lag: { … }, metrics: MetricsRegistry.render),
///                               token: settings.admin.consoleToken, replayer: DeadLetterReplayer(…), logger: logger)
/// AdminServer(settings: settings.admin, readiness: readiness, logger: logger, routes: console.addRoutes(to:))
/// ```
public struct OperatorConsole: Sendable {
    let backend: any ConsoleBackend
    let figures: ConsoleFigures
    let token: String?
    /// Replays dead letters; nil in a process without a producer for the requests topic (the escalation worker).
    let replayer: (any DeadLetterReplaying)?
    let sessions: ConsoleSessions
    let logger: Logger

    /// Creates the console.
    ///
    /// - Parameters:
    ///   - backend: where pages read from and actions write to (the process's ``Pool/ActivationStore``).
    ///   - figures: the process's consumer lag and metrics text, for the overview.
    ///   - token: the console token (`admin.console_token`); nil turns actions off.
    ///   - replayer: the process's way to replay dead letters (the activation worker's producer); nil lists and
    ///     shows them only, and the pages say where replay is available.
    public init(
        backend: any ConsoleBackend, figures: ConsoleFigures, token: String?, replayer: (any DeadLetterReplaying)? = nil, logger: Logger
    ) {
        self.backend = backend
        self.figures = figures
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.replayer = replayer
        self.sessions = ConsoleSessions()
        self.logger = logger
    }

    var actionGuard: ActionGuard { ActionGuard(tokenConfigured: token != nil, sessions: sessions) }

    /// Mounts the console's routes on `router` (the admin server calls this before it starts).
    public func addRoutes(to router: Router<BasicRequestContext>) {
        let routes = RouteCollection(context: BasicRequestContext.self)
        routes.add(middleware: SecurityHeaders<BasicRequestContext>())
        routes.get("/console") { request, _ in try await self.overview(request) }
        routes.get("/console/overview/live") { _, _ in try await self.overviewLive() }
        routes.get("/console/activations") { request, _ in try await self.activations(request) }
        routes.get("/console/activation") { request, _ in try await self.activation(request) }
        routes.get("/console/escalations") { request, _ in try await self.escalations(request) }
        routes.get("/console/escalation") { request, _ in try await self.escalation(request) }
        routes.get("/console/escalation/export.md") { request, _ in try await self.export(request) }
        routes.post("/console/escalation/take") { request, _ in try await self.take(request) }
        routes.post("/console/escalation/resolve") { request, _ in try await self.resolve(request) }
        routes.get("/console/dead-letters") { request, _ in try await self.deadLetters(request) }
        routes.get("/console/dead-letter") { request, _ in try await self.deadLetter(request) }
        routes.post("/console/dead-letter/replay") { request, _ in try await self.replayOne(request) }
        routes.get("/console/dead-letters/replay") { request, _ in try await self.confirmReplaySet(request) }
        routes.post("/console/dead-letters/replay") { request, _ in try await self.replaySet(request) }
        routes.get("/console/login") { request, _ in
            Self.html(.ok, LoginPage.page(viewer: self.viewer(request), next: Self.safeNext(FormFields(request.uri.query)["next"])))
        }
        routes.post("/console/login") { request, _ in try await self.login(request) }
        routes.post("/console/logout") { request, _ in try await self.logout(request) }
        routes.get("/console/assets/console.css") { _, _ in Self.asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        routes.get("/console/assets/console.js") { _, _ in Self.asset(ConsoleAssets.js, type: "text/javascript; charset=utf-8") }
        router.addRoutes(routes)
    }

    /// Who is asking: whether actions are configured and, when signed in, the session's CSRF token.
    func viewer(_ request: Request) -> Viewer {
        Viewer(actionsConfigured: token != nil, csrf: sessions.csrf(session: ConsoleCookies.session(of: request)))
    }

    static func html(_ status: HTTPResponse.Status, _ page: HTML, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: page.rendered)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A `303 See Other` to a console page (the browser then loads it with GET).
    static func redirect(_ location: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.location] = location
        return Response(status: .seeOther, headers: fields)
    }

    /// Only a path of this console: never another site, never a scheme-relative `//host`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/console"), !next.hasPrefix("//"), !next.contains("\\") else { return "/console" }
        return next
    }
}
