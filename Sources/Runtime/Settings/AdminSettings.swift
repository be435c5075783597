/// `admin.*`: the HTTP server for `/metrics`, `/healthz`, `/readyz` and the operator console (`/console`).
public struct AdminSettings: Sendable {
    /// `admin.host`. Default: `127.0.0.1` (containers set `0.0.0.0`).
    public var host: String
    /// `admin.port`; 0 turns the server off. Default: 9464.
    public var port: Int
    /// `admin.console_token` (or `OTPPOOL_ADMIN_CONSOLE_TOKEN`, or the file `admin.console_token_file` /
    /// `OTPPOOL_ADMIN_CONSOLE_TOKEN_FILE` names): what an operator types to sign in to the console's actions
    /// (take, resolve, replay). Default: none, and the console is read-only.
    public var consoleToken: String?

    init(reader: SettingsReader) {
        host = reader.string("admin.host", default: "127.0.0.1")
        port = reader.int("admin.port", default: 9464, in: 0...65_535)
        consoleToken = reader.secret("admin.console_token")
        if let token = consoleToken, token.count < 16 {
            reader.problem("admin.console_token is \(token.count) characters; use at least 16 (e.g. `openssl rand -hex 24`)")
        }
    }
}
