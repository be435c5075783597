import Activation
import Foundation
import Yams

extension EscalationRules {
    /// Loads rules from a YAML file in the format of `config/escalation.yaml`.
    ///
    /// - Throws: ``EscalationError`` with code `invalidConfiguration` naming the file, the rule and the key.
    public static func load(path: String) throws(EscalationError) -> EscalationRules {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EscalationError(
                code: .invalidConfiguration, message: "cannot read \(path) (\(error)); pass an existing rules file")
        }
        return try Self(yaml: text, source: path)
    }

    /// Reads rules from YAML text.
    ///
    /// - Parameter source: how to name the text in errors.
    /// - Throws: ``EscalationError`` with code `invalidConfiguration` naming the rule and the key.
    public init(yaml: String, source: String = "escalation rules") throws(EscalationError) {
        let file: RulesFile
        do {
            file = try YAMLDecoder().decode(RulesFile.self, from: yaml)
        } catch {
            throw EscalationError(
                code: .invalidConfiguration,
                message: "\(source) is not a valid rules file: \(error); compare with config/escalation.yaml")
        }
        func invalid(_ message: String) -> EscalationError {
            EscalationError(code: .invalidConfiguration, message: "\(source): \(message)")
        }
        var rules: [EscalationRule] = []
        for (index, entry) in (file.rules ?? []).enumerated() {
            let label = "rules[\(index)]" + (entry.name.map { " (\($0))" } ?? "")
            guard let name = entry.name, !name.isEmpty else { throw invalid("\(label).name is missing") }
            guard !rules.contains(where: { $0.name == name }) else {
                throw invalid("\(label).name is used twice; rule names must be unique")
            }
            let queue = try Self.parse(entry.queue, label: "\(label).queue", invalid: invalid) as EscalationQueue
            var kinds: Set<ActivationEventKind> = []
            for kind in entry.kinds ?? [] {
                kinds.insert(try Self.parse(kind, label: "\(label).kinds", invalid: invalid))
            }
            let condition = try entry.when.map { text throws(EscalationError) in
                try Self.parse(text, label: "\(label).when", invalid: invalid) as EscalationCondition
            }
            let minCount = entry.minCount ?? 1
            guard minCount >= 1 else { throw invalid("\(label).min_count is \(minCount); use 1 or more") }
            rules.append(EscalationRule(
                name: name, queue: queue, kinds: kinds, reasonCodes: Set(entry.reasonCodes ?? []),
                condition: condition, minCount: minCount))
        }
        var stuck = StuckSweep()
        if let sweep = file.stuck {
            func seconds(_ value: Double?, _ key: String, default fallback: Duration) throws(EscalationError) -> Duration {
                guard let value else { return fallback }
                guard value > 0, value.isFinite else { throw invalid("stuck.\(key) is \(value); use a positive number of seconds") }
                return .milliseconds(Int64(value * 1000))
            }
            stuck.lifetime = try seconds(sweep.lifetimeSeconds, "lifetime_seconds", default: stuck.lifetime)
            stuck.grace = try seconds(sweep.graceSeconds, "grace_seconds", default: stuck.grace)
            stuck.interval = try seconds(sweep.intervalSeconds, "interval_seconds", default: stuck.interval)
            if let queue = sweep.queue {
                stuck.queue = try Self.parse(queue, label: "stuck.queue", invalid: invalid)
            }
        }
        self.init(rules: rules, stuck: stuck)
    }

    private static func parse<Value: RawRepresentable & CaseIterable>(
        _ text: String?, label: String, invalid: (String) -> EscalationError
    ) throws(EscalationError) -> Value where Value.RawValue == String {
        let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text else { throw invalid("\(label) is missing; use one of \(known)") }
        guard let value = Value(rawValue: text) else { throw invalid("\(label) \"\(text)\" is unknown; use one of \(known)") }
        return value
    }
}

/// The rules file as written.
private struct RulesFile: Decodable {
    var stuck: SweepEntry?
    var rules: [RuleEntry]?

    struct SweepEntry: Decodable {
        var lifetimeSeconds: Double?
        var graceSeconds: Double?
        var intervalSeconds: Double?
        var queue: String?

        enum CodingKeys: String, CodingKey {
            case queue
            case lifetimeSeconds = "lifetime_seconds"
            case graceSeconds = "grace_seconds"
            case intervalSeconds = "interval_seconds"
        }
    }

    struct RuleEntry: Decodable {
        var name: String?
        var queue: String?
        var kinds: [String]?
        var reasonCodes: [String]?
        var when: String?
        var minCount: Int?

        enum CodingKeys: String, CodingKey {
            case name, queue, kinds, when
            case reasonCodes = "reason_codes"
            case minCount = "min_count"
        }
    }
}
