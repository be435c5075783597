import Basics
import Foundation

/// How long something takes, drawn afresh each time: SMS arrival (supplier time) or response latency (real time).
///
/// YAML: `{kind: fixed, seconds: 5}`, `{kind: uniform, min: 5, max: 30}`,
/// `{kind: log_normal, median: 15, sigma: 0.5}`, `{kind: never}`.
public enum DelayDistribution: Sendable, Hashable, Decodable {
    /// Always the same delay, in seconds.
    case fixed(Double)
    /// Uniformly between two delays, in seconds.
    case uniform(min: Double, max: Double)
    /// Log-normal: `median × e^(sigma × N(0,1))` seconds; a long tail, like real SMS delivery.
    case logNormal(median: Double, sigma: Double)
    /// Never happens (an SMS that never arrives).
    case never

    /// Draws one delay in seconds, or nil for ``never``.
    func sample(_ random: inout SplitMix64) -> Double? {
        switch self {
        case .fixed(let seconds):
            return max(0, seconds)
        case .uniform(let low, let high):
            return high > low ? low + (high - low) * random.nextUnit() : max(0, low)
        case .logNormal(let median, let sigma):
            // Box–Muller: one standard normal from two uniforms.
            let u1 = max(random.nextUnit(), .leastNonzeroMagnitude)
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * random.nextUnit())
            return median * exp(sigma * normal)
        case .never:
            return nil
        }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, seconds, min, max, median, sigma
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "fixed":
            self = .fixed(try container.decode(Double.self, forKey: .seconds))
        case "uniform":
            self = .uniform(min: try container.decode(Double.self, forKey: .min), max: try container.decode(Double.self, forKey: .max))
        case "log_normal", "lognormal":
            self = .logNormal(
                median: try container.decode(Double.self, forKey: .median),
                sigma: try container.decodeIfPresent(Double.self, forKey: .sigma) ?? 0.5
            )
        case "never":
            self = .never
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container,
                debugDescription: "unknown delay kind '\(kind)'; use fixed, uniform, log_normal or never"
            )
        }
    }
}
