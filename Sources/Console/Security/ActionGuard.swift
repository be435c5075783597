import HTTPTypes
import Hummingbird

/// Decides whether a form may change something: the console's only defence line for take, resolve and replay.
///
/// In order: a token must be configured (else actions are off); the request must come from a page of this console
/// (its `Origin`, or failing that its `Referer`, names the host it was sent to; a browser's `Sec-Fetch-Site`, when
/// sent, says `same-origin`); the session cookie must be live; the form's CSRF token must be that session's.
/// The cookie is `SameSite=Strict` as well, so a cross-site form never carries it.
struct ActionGuard: Sendable {
    let tokenConfigured: Bool
    let sessions: ConsoleSessions

    /// Why a request is refused, in words an operator can act on.
    enum Refusal: Error, Equatable {
        case actionsOff
        case crossSite
        case notSignedIn
        case badCSRF

        var message: String {
            switch self {
            case .actionsOff:
                "Actions are off: this process has no console token. Set OTPPOOL_ADMIN_CONSOLE_TOKEN (or "
                    + "OTPPOOL_ADMIN_CONSOLE_TOKEN_FILE naming a file that holds it, or admin.console_token in the YAML), at "
                    + "least 16 characters, e.g. `openssl rand -hex 24`, and restart it. Pages stay readable without one."
            case .crossSite:
                "Refused: the form was not sent from a page of this console (Origin/Referer do not match the host). "
                    + "Open the console at the address you browse it by and submit the form again."
            case .notSignedIn:
                "Sign in first: actions need the console token (the sign-in link at the top right)."
            case .badCSRF:
                "Refused: the form's anti-forgery token does not belong to your session (it expired, or you signed in "
                    + "again elsewhere). Reload the page and submit again."
            }
        }
    }

    /// Nil when the request may act, else why not.
    func check(_ request: Request, form: FormFields, requireSession: Bool = true) -> Refusal? {
        guard tokenConfigured else { return .actionsOff }
        guard Self.sameOrigin(request) else { return .crossSite }
        guard requireSession else { return nil }
        guard let expected = sessions.csrf(session: ConsoleCookies.session(of: request)) else { return .notSignedIn }
        guard let sent = form["csrf"], RandomToken.equal(sent, expected) else { return .badCSRF }
        return nil
    }

    /// Whether the request names this server as its origin.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin" { return false }
        // HTTP/1.1's Host header is the request's authority.
        guard let host = request.head.authority else { return false }
        let source = request.headers[HTTPField.Name("Origin")!] ?? request.headers[.referer]
        guard let source, source != "null" else { return false }
        for scheme in ["http://", "https://"] where source.hasPrefix(scheme) {
            let rest = source.dropFirst(scheme.count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            return authority.lowercased() == host.lowercased()
        }
        return false
    }
}
