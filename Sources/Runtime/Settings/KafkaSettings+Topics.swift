import Pool

extension KafkaSettings {
    /// The workflow's topics under `kafka.topic_prefix`: what workers read and write, and where dead letters
    /// are replayed to.
    public var topics: ActivationTopics {
        ActivationTopics(
            requests: topic("requests"), commands: topic("commands"), events: topic("events"), deadLetters: topic("requests.dlq"))
    }
}
