import Basics
import Foundation

/// The simulator's whole state: catalogue, stock, balances, activations and the audit ledger.
///
/// A plain struct mutated only under the simulator's lock; every operation is O(1) except the ones that list
/// open activations. Time moves lazily: an activation's code arrival and expiry are applied when it is next
/// looked at (``settle(_:now:)``), so nothing runs in the background.
struct SimulatorState: Sendable {
    struct OfferKey: Hashable, Sendable {
        var service: Int
        var country: Int
    }

    private(set) var configuration: SimulatorConfiguration
    var clock: SimulatorClock
    var random: SplitMix64
    private(set) var behaviours: [OfferKey: OfferBehaviour] = [:]
    var stock: [OfferKey: Int] = [:]
    private var serviceIndex: [String: Int] = [:]
    private var countryIndex: [String: Int] = [:]
    private var keys: Set<String> = []
    var activations: [Int: SimActivation] = [:]
    var open: [String: Set<Int>] = [:]
    var balances: [String: Int64] = [:]
    var references: [String: ReferenceRecord] = [:]
    var ledger = SimulatorLedger()
    /// Activation IDs never repeat across restarts, like a real supplier's: they start at the start time in
    /// milliseconds × 1,000, so a simulator restarted against the same database never hands out an ID twice
    /// unless the previous run bought over 1,000 numbers per millisecond it ran.
    var nextID = Int(Date().timeIntervalSince1970 * 1_000) % 1_000_000_000_000 * 1_000 + 1
    private var rateArrival: [String: ContinuousClock.Instant] = [:]

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        self.clock = SimulatorClock(scale: configuration.timeScale)
        self.random = SplitMix64(seed: configuration.seed ?? UInt64.random(in: 0...UInt64.max))
        self.apply(configuration)
    }

    /// Takes a new configuration: offers and stock are rebuilt, new keys get the starting balance, the time
    /// scale applies from now on; activations, balances of known keys and the audit stay.
    mutating func apply(_ configuration: SimulatorConfiguration) {
        if configuration.timeScale != self.configuration.timeScale { self.clock.rescale(configuration.timeScale) }
        self.configuration = configuration
        self.serviceIndex = [:]
        for (index, service) in configuration.services.enumerated() {
            self.serviceIndex[service.code] = index
            self.serviceIndex[service.product] = index
        }
        self.countryIndex = [:]
        for (index, country) in configuration.countries.enumerated() {
            self.countryIndex[String(country.id)] = index
            self.countryIndex[country.name] = index
        }
        self.behaviours = [:]
        self.stock = [:]
        for (serviceNumber, service) in configuration.services.enumerated() {
            for (countryNumber, country) in configuration.countries.enumerated() {
                let key = OfferKey(service: serviceNumber, country: countryNumber)
                let behaviour = configuration.behaviour(service: service, country: country)
                self.behaviours[key] = behaviour
                self.stock[key] = behaviour.inventory
            }
        }
        self.keys = Set(configuration.apiKeys)
        for key in configuration.apiKeys where self.balances[key] == nil {
            self.balances[key] = Cents.from(configuration.initialBalance)
        }
    }

    /// Counts the request and decides whether and how to serve it: key, rate limit, injected faults.
    ///
    /// Guest requests (`authenticated: false`, 5sim's `/guest/…`) skip the key check and the rate limit.
    mutating func admit(
        key: String?,
        action: String,
        authenticated: Bool,
        now: ContinuousClock.Instant
    ) -> Result<RequestPlan, SimFailure> {
        self.ledger.requests[action, default: 0] += 1
        if authenticated, !(key.map(self.keys.contains) ?? false) { return .failure(.badKey) }
        if authenticated, let key, let rate = self.configuration.rateLimit, rate > 0 {
            let interval = Duration.nanoseconds(Int64(1e9 / rate))
            let tolerance = interval * max(0, self.configuration.rateLimitBurst - 1)
            let arrival = self.rateArrival[key] ?? now
            if arrival - tolerance > now {
                self.ledger.requests["rejected.rate_limited", default: 0] += 1
                return .failure(.rateLimited(retryAfter: (arrival - tolerance - now).seconds))
            }
            self.rateArrival[key] = max(arrival, now) + interval
        }
        if self.random.chance(self.configuration.errorRate) {
            self.ledger.requests["fault.server_error", default: 0] += 1
            return .failure(.serverFault)
        }
        let hang = self.random.chance(self.configuration.timeoutRate)
        if hang { self.ledger.requests["fault.timeout", default: 0] += 1 }
        return .success(
            RequestPlan(
                latency: self.configuration.latency.sample(&self.random) ?? 0,
                hang: hang,
                hangSeconds: self.configuration.timeoutHang.seconds,
                variant: self.configuration.variant
            )
        )
    }

    /// The service index for a handler_api code or 5sim product.
    func service(_ key: String) -> Int? { self.serviceIndex[key] }

    /// The country index for a handler_api id or 5sim name.
    func country(_ key: String) -> Int? { self.countryIndex[key] }

    /// The balance of a key in cents.
    func balance(_ key: String) -> Int64 { self.balances[key] ?? 0 }

    /// The catalogue with prices and stock, for listing replies built outside the lock.
    func snapshot() -> CatalogueSnapshot {
        CatalogueSnapshot(
            services: self.configuration.services,
            countries: self.configuration.countries,
            behaviours: self.behaviours,
            stock: self.stock,
            clock: self.clock
        )
    }

    /// The early-cancel window in real seconds, rounded up, as `minActivationTime` reports it.
    var earlyCancelRealSeconds: Int {
        Int(self.clock.realSeconds(self.configuration.earlyCancelWindow.seconds).rounded(.up))
    }
}
