import Basics

/// The shape of `config/supplier-sim.yaml`; every key is optional.
struct SimulatorFile: Decodable {
    struct RateLimit: Decodable {
        var requestsPerSecond: Double
        var burst: Int?

        private enum CodingKeys: String, CodingKey {
            case requestsPerSecond = "requests_per_second", burst
        }
    }

    var timeScale: Double?
    var variant: Bool?
    var apiKeys: [String]?
    var initialBalance: Double?
    var activationLifetimeSeconds: Double?
    var earlyCancelWindowSeconds: Double?
    var rateLimit: RateLimit?
    var latency: DelayDistribution?
    var errorRate: Double?
    var timeoutRate: Double?
    var timeoutHangSeconds: Double?
    var ambiguousErrorRate: Double?
    var resetRate: Double?
    var referenceReplay: Bool?
    var channelsLimit: Int?
    var bannedUntil: String?
    var seed: UInt64?
    var countries: [SimulatedCountry]?
    var services: [SimulatedService]?
    var defaultOffer: OfferOverride?
    var offers: [OfferOverride]?

    private enum CodingKeys: String, CodingKey {
        case timeScale = "time_scale", variant, apiKeys = "api_keys", initialBalance = "initial_balance"
        case activationLifetimeSeconds = "activation_lifetime_seconds"
        case earlyCancelWindowSeconds = "early_cancel_window_seconds", rateLimit = "rate_limit", latency
        case errorRate = "error_rate", timeoutRate = "timeout_rate", timeoutHangSeconds = "timeout_hang_seconds"
        case ambiguousErrorRate = "ambiguous_error_rate", resetRate = "reset_rate", referenceReplay = "reference_replay"
        case channelsLimit = "channels_limit", bannedUntil = "banned_until", seed, countries, services
        case defaultOffer = "default_offer", offers
    }

    /// Writes every key that is present over the defaults.
    func apply(to configuration: inout SimulatorConfiguration) {
        if let timeScale { configuration.timeScale = timeScale }
        if let variant { configuration.variant = variant }
        if let apiKeys { configuration.apiKeys = apiKeys }
        if let initialBalance { configuration.initialBalance = .money(initialBalance) }
        if let activationLifetimeSeconds { configuration.activationLifetime = .seconds(activationLifetimeSeconds) }
        if let earlyCancelWindowSeconds { configuration.earlyCancelWindow = .seconds(earlyCancelWindowSeconds) }
        if let rateLimit {
            configuration.rateLimit = rateLimit.requestsPerSecond
            if let burst = rateLimit.burst { configuration.rateLimitBurst = burst }
        }
        if let latency { configuration.latency = latency }
        if let errorRate { configuration.errorRate = errorRate }
        if let timeoutRate { configuration.timeoutRate = timeoutRate }
        if let timeoutHangSeconds { configuration.timeoutHang = .seconds(timeoutHangSeconds) }
        if let ambiguousErrorRate { configuration.ambiguousErrorRate = ambiguousErrorRate }
        if let resetRate { configuration.resetRate = resetRate }
        if let referenceReplay { configuration.referenceReplay = referenceReplay }
        if let channelsLimit { configuration.channelsLimit = channelsLimit }
        if let bannedUntil { configuration.bannedUntil = bannedUntil }
        if let seed { configuration.seed = seed }
        if let countries { configuration.countries = countries }
        if let services { configuration.services = services }
        if let defaultOffer { configuration.defaultOffer = defaultOffer.applied(to: configuration.defaultOffer) }
        if let offers { configuration.offers = offers }
    }
}
