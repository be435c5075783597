/// `admin.*`: the HTTP server for `/metrics`, `/healthz` and `/readyz`.
public struct AdminSettings: Sendable {
    /// `admin.host`. Default: `127.0.0.1` (containers set `0.0.0.0`).
    public var host: String
    /// `admin.port`; 0 turns the server off. Default: 9464.
    public var port: Int

    init(reader: SettingsReader) {
        host = reader.string("admin.host", default: "127.0.0.1")
        port = reader.int("admin.port", default: 9464, in: 0...65_535)
    }
}
