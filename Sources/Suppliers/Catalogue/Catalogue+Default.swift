/// The default catalogue, the same text as `config/catalogue.yaml` (a test keeps the two equal).
extension Catalogue {
    /// The default catalogue's YAML: services `tg`, `wa`, `go`; countries russia (0), indonesia (6), england (16),
    /// usa (187); the simulator's two protocols on `127.0.0.1:8090` with key `sim-key`.
    public static let defaultYAML = #"""
# The catalogue: what can be bought and from whom. Read by the Suppliers module (Catalogue.load).
# Every key is described in docs/suppliers.md. This default points at the supplier simulator
# (`otppool supplier-sim --port 8090`), which serves the same services and countries out of the box.

# Services whose codes are sold. `handler_api` / `fivesim`: the service's code in each protocol.
# `max_price`: the most one activation may cost (overridden per country by price_limits).
# `countries`: catalogue country codes the service is enabled in (omit for all).
services:
  - code: tg
    name: Telegram
    handler_api: tg
    fivesim: telegram
    max_price: 30.00
  - code: wa
    name: WhatsApp
    handler_api: wa
    fivesim: whatsapp
    max_price: 40.00
  - code: go
    name: Google
    handler_api: go
    fivesim: google
    max_price: 25.00
    countries: [russia, indonesia, usa]

# Countries. `handler_api`: the integer id of SMS-Activate-compatible suppliers; `fivesim`: 5sim's name.
countries:
  - code: russia
    name: Russia
    handler_api: 0
    fivesim: russia
  - code: indonesia
    name: Indonesia
    handler_api: 6
    fivesim: indonesia
  - code: england
    name: United Kingdom
    handler_api: 16
    fivesim: england
  - code: usa
    name: United States
    handler_api: 187
    fivesim: usa

# Number types; the first is the default. `handler_api_operator`: the `operator` parameter (omit: none);
# `fivesim_operator`: the operator path segment (default `any`).
number_types:
  - code: any
    fivesim_operator: any
  - code: virtual
    handler_api_operator: virtual
    fivesim_operator: virtual

# Supplier accounts. The key comes from the environment variable named by `api_key_env`, else from
# OTPPOOL_SUPPLIER_<NAME>_API_KEY (name upper-cased, other characters as _), else from `api_key`.
# OTPPOOL_SUPPLIER_<NAME>_BASE_URL overrides `base_url`.
suppliers:
  - name: sim-handler-api
    api: handler_api
    base_url: http://127.0.0.1:8090
    api_key: sim-key
    requests_per_second: 5000
    burst: 200
    request_timeout_seconds: 5
    replays_references: true   # the simulator answers a repeated ref with its first answer
    number_v2: true
  - name: sim-5sim
    api: 5sim
    base_url: http://127.0.0.1:8090/v1
    api_key: sim-key-5sim   # its own account: two suppliers never share a key (or an active list)
    requests_per_second: 5000
    burst: 200
    request_timeout_seconds: 5
    replays_references: true   # the simulator answers a repeated ref with its first answer

# Supplier pools: the first supplier is preferred, the next are fallbacks. The first pool is the default.
pools:
  - name: default
    suppliers: [sim-handler-api, sim-5sim]
  - name: 5sim-first
    suppliers: [sim-5sim, sim-handler-api]

# Per-country price limits overriding the service's max_price.
price_limits:
  - service: tg
    country: usa
    max_price: 50.00

# Live prices and stock fetched from the suppliers are cached this long.
inventory:
  ttl_seconds: 30
"""#

    /// The default catalogue, with supplier keys and base URLs overridable from the environment.
    public static func makeDefault(environment: [String: String] = [:]) throws(SupplierError) -> Catalogue {
        try Catalogue(yaml: Self.defaultYAML, source: "default catalogue", environment: environment)
    }
}
