/// The wire protocol a supplier speaks.
public enum SupplierAPI: String, Sendable, Hashable, Codable, CaseIterable {
    /// SMS-Activate-compatible `GET {base}/stubs/handler_api.php?api_key=…&action=…`.
    case handlerAPI = "handler_api"
    /// 5sim REST: `GET {base}/user/…` with `Authorization: Bearer <token>`; base is e.g. `https://5sim.net/v1`.
    case fiveSim = "5sim"
}
