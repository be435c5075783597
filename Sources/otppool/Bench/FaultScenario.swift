/// One scenario of the fault suite: what breaks, and how the simulator behaves meanwhile.
enum FaultScenario: String, CaseIterable, Sendable {
    /// Three workers; one is SIGKILLed every few seconds and restarted.
    case kill
    /// The embedded broker down for 5 s, then rounds of request errors and leader changes.
    case broker
    /// PostgreSQL restarted mid-run.
    case postgres
    /// Supplier 5xx, timeouts, 429s and NO_NUMBERS storms, all run long.
    case supplier

    var summary: String {
        switch self {
        case .kill: "3 workers, one SIGKILLed every 4 s and restarted 1 s later"
        case .broker: "every broker down for 5 s, then 3 rounds of request errors (NOT_COORDINATOR, REQUEST_TIMED_OUT, NOT_LEADER) with leader moves"
        case .postgres: "PostgreSQL restarted (scripts/pg.sh restart) a third of the way in"
        case .supplier: "supplier storms: 15% 5xx, 2% timeouts, 429 above 300 requests/s, 20% NO_NUMBERS"
        }
    }

    var workers: Int { self == .kill ? 3 : 2 }

    /// The simulator: 60× time (the windows of config/demo/catalogue.yaml: 20 s lifetime, 2 s early-cancel window), codes after a short log-normal delay in the USA and England, never in
    /// Indonesia (those requests expire and escalate), and the storms of the supplier scenario.
    var simulatorYAML: String {
        var yaml = """
            time_scale: 60
            activation_lifetime_seconds: 1200
            early_cancel_window_seconds: 120
            default_offer:
              price: 10.00
              inventory: 100000000
              sms_delay: {kind: log_normal, median: 20, sigma: 0.5}
            offers:
              - {country: indonesia, sms_delay: {kind: never}}

            """
        if self == .supplier {
            yaml += """
                error_rate: 0.15
                timeout_rate: 0.02
                timeout_hang_seconds: 12
                rate_limit: {requests_per_second: 300, burst: 60}

                """
            yaml = yaml.replacingOccurrences(of: "  inventory: 100000000\n", with: "  inventory: 100000000\n  no_numbers_rate: 0.2\n")
        }
        return yaml
    }
}
