import Escalation
import Kafka

/// How the escalation worker consumes lifecycle events and sweeps for stuck activations.
public struct EscalationWorkerConfiguration: Sendable {
    /// The lifecycle events topic. Default: `otp.activation.events`.
    public var eventsTopic: String
    /// The consumer; escalation workers share their own group. Default group: `otppool-escalation`.
    public var consumer: KafkaConsumerConfiguration
    /// What escalates and to whom. Default: ``EscalationRules/standard`` (= `config/escalation.yaml`).
    public var rules: EscalationRules
    /// Whether this process runs the stuck-activation sweep (idempotent, so several may). Default: true.
    public var sweep: Bool

    public init(
        eventsTopic: String = "otp.activation.events",
        consumer: KafkaConsumerConfiguration = KafkaConsumerConfiguration(groupID: "otppool-escalation"),
        rules: EscalationRules = .standard,
        sweep: Bool = true
    ) {
        self.eventsTopic = eventsTopic
        self.consumer = consumer
        self.rules = rules
        self.sweep = sweep
    }
}
