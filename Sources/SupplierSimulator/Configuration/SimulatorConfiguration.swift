import Foundation

/// Everything the supplier simulator can be told; the defaults serve `tg`, `wa`, `go` in russia (0),
/// indonesia (6), england (16) and usa (187) to the keys `sim-key` and `sim-key-5sim`.
///
/// Supplier-side durations (lifetime, early-cancel window, SMS delays) are in *supplier* seconds and pass
/// ``timeScale`` times faster than real time; latency and timeout hangs are real seconds.
public struct SimulatorConfiguration: Sendable {
    /// Supplier seconds per real second (60: a supplier minute passes each second). Default: 1.
    public var timeScale: Double
    /// Answer with the protocols' variant forms (errors under 4xx, JSON `EARLY_CANCEL_DENIED`, string-typed
    /// JSON, `WRONG_SERVICE`, 5sim `no free phones` under 200 …). Default: false.
    public var variant: Bool
    /// Accepted API keys / bearer tokens, each its own account (balance, active list); any other gets `BAD_KEY`
    /// (401 on 5sim). Default: `sim-key` and `sim-key-5sim` (the default catalogue's two suppliers).
    public var apiKeys: [String]
    /// Each key's starting balance. Default: 1,000,000.00.
    public var initialBalance: Decimal
    /// How long an activation lives, in supplier time. Default: 20 minutes.
    public var activationLifetime: Duration
    /// How long after purchase a cancel is refused, in supplier time. Default: 2 minutes.
    public var earlyCancelWindow: Duration
    /// Requests per second allowed per key before HTTP 429, or nil for no limit. Default: nil.
    public var rateLimit: Double?
    /// Requests that may go back to back under ``rateLimit``. Default: 100.
    public var rateLimitBurst: Int
    /// Extra real-time delay before every protocol reply. Default: none.
    public var latency: DelayDistribution
    /// The share of all protocol requests answered HTTP 500 before any effect. Default: 0.
    public var errorRate: Double
    /// The share of all protocol requests whose reply is withheld (after the effect). Default: 0.
    public var timeoutRate: Double
    /// How long a withheld reply hangs, in real time (longer than the client's timeout). Default: 30 seconds.
    public var timeoutHang: Duration
    /// The share of writes (handler_api getNumber, getNumberV2, setStatus; 5sim buy, finish, cancel, ban) that take
    /// effect and are then answered with an HTML HTTP 502, like a gateway that lost the supplier's reply: the
    /// client cannot tell from the reply whether its write happened. Reads are never affected. Counted as
    /// `fault.ambiguous_error`. Default: 0.
    public var ambiguousErrorRate: Double
    /// The share of writes that take effect and are then answered by closing the connection with a TCP reset,
    /// no HTTP response at all (the client sees a transport error). Reads are never affected. Counted as
    /// `fault.reset`. Default: 0.
    public var resetRate: Double
    /// Whether a purchase that repeats a reference (`ref`) already decided gets that decision again instead of a
    /// second sale: the number sold under it (whatever its state now), or the refusal (no numbers, no balance, max
    /// price, ban, bad service or country). An injected 5xx before any effect decides nothing. The idempotency
    /// key practice of SUPPLIERS.md; turn it off to imitate a supplier that sells again. Default: true.
    public var referenceReplay: Bool
    /// Open activations allowed per key before `CHANNELS_LIMIT`, or nil for no limit. Default: nil.
    public var channelsLimit: Int?
    /// When set, purchases answer `BANNED:<this text>` (5sim: `not enough rating`). Default: nil.
    public var bannedUntil: String?
    /// Seed of the random draws, for reproducible runs; nil draws one. Default: nil.
    public var seed: UInt64?
    /// Countries sold. Default: ``SimulatedCountry/defaults``.
    public var countries: [SimulatedCountry]
    /// Services sold. Default: ``SimulatedService/defaults``.
    public var services: [SimulatedService]
    /// Behaviour of every service in every country unless overridden.
    public var defaultOffer: OfferBehaviour
    /// Per service and/or country changes to ``defaultOffer``, applied in order.
    public var offers: [OfferOverride]

    /// Creates a configuration; every option not given takes its documented default.
    public init(
        timeScale: Double = 1,
        variant: Bool = false,
        apiKeys: [String] = ["sim-key", "sim-key-5sim"],
        initialBalance: Decimal = 1_000_000,
        activationLifetime: Duration = .seconds(20 * 60),
        earlyCancelWindow: Duration = .seconds(120),
        rateLimit: Double? = nil,
        rateLimitBurst: Int = 100,
        latency: DelayDistribution = .fixed(0),
        errorRate: Double = 0,
        timeoutRate: Double = 0,
        timeoutHang: Duration = .seconds(30),
        ambiguousErrorRate: Double = 0,
        resetRate: Double = 0,
        referenceReplay: Bool = true,
        channelsLimit: Int? = nil,
        bannedUntil: String? = nil,
        seed: UInt64? = nil,
        countries: [SimulatedCountry] = SimulatedCountry.defaults,
        services: [SimulatedService] = SimulatedService.defaults,
        defaultOffer: OfferBehaviour = OfferBehaviour(),
        offers: [OfferOverride] = []
    ) {
        self.timeScale = timeScale
        self.variant = variant
        self.apiKeys = apiKeys
        self.initialBalance = initialBalance
        self.activationLifetime = activationLifetime
        self.earlyCancelWindow = earlyCancelWindow
        self.rateLimit = rateLimit
        self.rateLimitBurst = rateLimitBurst
        self.latency = latency
        self.errorRate = errorRate
        self.timeoutRate = timeoutRate
        self.timeoutHang = timeoutHang
        self.ambiguousErrorRate = ambiguousErrorRate
        self.resetRate = resetRate
        self.referenceReplay = referenceReplay
        self.channelsLimit = channelsLimit
        self.bannedUntil = bannedUntil
        self.seed = seed
        self.countries = countries
        self.services = services
        self.defaultOffer = defaultOffer
        self.offers = offers
    }

    /// The behaviour for one service in one country: the default offer with every matching override applied.
    func behaviour(service: SimulatedService, country: SimulatedCountry) -> OfferBehaviour {
        self.offers.reduce(self.defaultOffer) { behaviour, override in
            override.matches(service: service, country: country) ? override.applied(to: behaviour) : behaviour
        }
    }
}
