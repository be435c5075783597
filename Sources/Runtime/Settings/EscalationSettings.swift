import Escalation
import Kafka
import Pool

/// `escalation.*`: the escalation worker's group, rules and sweep.
public struct EscalationSettings: Sendable {
    /// `escalation.group`. Default: `otppool-escalation`.
    public var group: String
    /// `escalation.rules`: the rules file; default: the built-in rules (= `config/escalation.yaml`).
    public var rules: EscalationRules
    /// `escalation.sweep`: run the stuck-activation sweep in this process. Default: true.
    public var sweep: Bool

    init(reader: SettingsReader) {
        group = reader.string("escalation.group", default: "otppool-escalation")
        sweep = reader.bool("escalation.sweep", default: true)
        if let path = reader.string("escalation.rules") {
            do {
                rules = try EscalationRules.load(path: path)
            } catch {
                reader.problem("escalation.rules: \(error)")
                rules = .standard
            }
        } else {
            rules = .standard
        }
    }

    /// The worker configuration over `client`, reading `kafka`'s events topic.
    public func configuration(client: KafkaClientOptions, kafka: KafkaSettings) -> EscalationWorkerConfiguration {
        EscalationWorkerConfiguration(
            eventsTopic: kafka.topic("events"), consumer: KafkaConsumerConfiguration(client: client, groupID: group), rules: rules,
            sweep: sweep)
    }
}
