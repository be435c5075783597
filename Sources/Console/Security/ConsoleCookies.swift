import Hummingbird

/// The console's one cookie: the session ID, `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's
/// page sends it), scoped to `/console`; `Secure` when the console is served over HTTPS.
enum ConsoleCookies {
    static let name = "otppool_console_session"

    static func session(of request: Request) -> String? {
        request.cookies[name]?.value
    }

    /// The `Set-Cookie` value that starts a session.
    static func starting(_ id: String, lifetime: Int, secure: Bool) -> String {
        "\(name)=\(id); Path=/console; Max-Age=\(lifetime); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    /// The `Set-Cookie` value that ends it.
    static let ending = "\(name)=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict"
}
