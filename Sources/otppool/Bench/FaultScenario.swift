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
    /// Supplier writes that take effect and then lose their answer: HTML 502s, connection resets, timeouts.
    case ambiguous
    /// A worker paused (SIGSTOP) past its session timeout while another takes its partitions, then continued.
    case zombie
    /// PostgreSQL cut off from the workers only (a TCP proxy aborts every connection), then back.
    case postgresCut = "pg-cut"
    /// PostgreSQL slow for the workers only (300 ms on every packet through a TCP proxy), then fast again.
    case postgresSlow = "pg-slow"
    /// Every broker down for longer than the producers' `message.timeout.ms`.
    case brokerLong = "broker-long"
    /// Worker SIGKILLs during a supplier storm.
    case killStorm = "kill-storm"
    /// Numbers sold above the max price and in another currency: cancelled and retried, never absorbed.
    case anomalies

    var summary: String {
        switch self {
        case .kill: "3 workers, one SIGKILLed every 4 s and restarted 1 s later"
        case .broker: "every broker down for 5 s, then 3 rounds of request errors (NOT_COORDINATOR, REQUEST_TIMED_OUT, NOT_LEADER) with leader moves"
        case .postgres: "PostgreSQL restarted (scripts/pg.sh restart) a third of the way in"
        case .supplier: "supplier storms: 15% 5xx, 2% timeouts, 429 above 300 requests/s, 20% NO_NUMBERS"
        case .ambiguous: "supplier writes applied, then 5% HTML 502, 3% connection reset, 2% timeout; suppliers without idempotent references (active-list reconciliation)"
        case .zombie: "3 workers, session timeout 6 s; one SIGSTOPped for 15 s (its partitions move), then SIGCONT; twice"
        case .postgresCut: "the workers' PostgreSQL connections aborted and refused for 10 s (TCP proxy), a third of the way in"
        case .postgresSlow: "300 ms on every packet between the workers and PostgreSQL for 15 s (TCP proxy)"
        case .brokerLong: "every broker down for 20 s, longer than the producers' message.timeout.ms (8 s)"
        case .killStorm: "3 workers, one SIGKILLed every 4 s, during the supplier storm of `supplier`"
        case .anomalies: "usa sells 50% above the max price (rest WRONG_MAX_PRICE), russia prices in RUB; each such number cancelled, the request retried in England"
        }
    }

    var workers: Int { [.kill, .zombie, .killStorm].contains(self) ? 3 : 2 }

    /// Whether the simulated suppliers replay a repeated purchase reference (idempotency keys) and the workers'
    /// catalogue says so. `ambiguous` runs against suppliers that do not, so that lost answers are reconciled
    /// through the active list there; every other scenario against suppliers that do.
    var replaysReferences: Bool { self != .ambiguous }

    /// Whether the workers reach PostgreSQL through the suite's TCP proxy.
    var usesProxy: Bool { self == .postgresCut || self == .postgresSlow }

    /// The countries of request `index` when it can complete (the Indonesia-only ones expire). Anomalies:
    /// half start where numbers are sold above the max price, half where they are priced in RUB; England is the
    /// honest fallback of both.
    func countries(for index: Int) -> [String] {
        guard self == .anomalies else { return ["usa", "england"] }
        return index % 2 == 0 ? ["usa", "england"] : ["russia", "england"]
    }

    /// Worker settings beyond the suite's common ones.
    ///
    /// The simulator runs 60× faster than real time (a 20 s activation lifetime), so the Kafka session timeout
    /// shrinks too (6 s instead of 45 s): a SIGKILLed member's partitions must move well within a number's life.
    var workerSettings: [String] {
        let kafka = "kafka.properties=fetch.wait.max.ms=10,session.timeout.ms=6000,heartbeat.interval.ms=1000"
        return self == .brokerLong ? [kafka + ",message.timeout.ms=8000"] : [kafka]
    }

    /// How long `otppool broker --fault-signals` keeps the brokers down on SIGUSR1.
    var brokerDownSeconds: Double { self == .brokerLong ? 20 : 5 }

    /// The simulator: 60× time (the windows of config/demo/catalogue.yaml: 20 s lifetime, 2 s early-cancel
    /// window), codes after a short log-normal delay in the USA and England, never in Indonesia (those requests
    /// expire and escalate), and the scenario's supplier faults.
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
        switch self {
        case .supplier, .killStorm:
            yaml += """
                error_rate: 0.15
                timeout_rate: 0.02
                timeout_hang_seconds: 12
                rate_limit: {requests_per_second: 300, burst: 60}

                """
            yaml = yaml.replacingOccurrences(of: "  inventory: 100000000\n", with: "  inventory: 100000000\n  no_numbers_rate: 0.2\n")
        case .ambiguous:
            yaml += """
                reference_replay: false
                ambiguous_error_rate: 0.05
                reset_rate: 0.03
                timeout_rate: 0.02
                timeout_hang_seconds: 12

                """
        case .anomalies:
            // Codes never arrive on the anomalous offers, so their numbers are cancelled (refunded) once the
            // early-cancel window allows, not charged.
            yaml = yaml.replacingOccurrences(of: "offers:\n", with: """
                offers:
                  - {country: usa, price: 30.00, over_max_price_rate: 0.5, sms_delay: {kind: never}}
                  - {country: russia, currency: RUB, sms_delay: {kind: never}}

                """)
        default:
            break
        }
        return yaml
    }
}
