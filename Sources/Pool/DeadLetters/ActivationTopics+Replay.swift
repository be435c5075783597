extension ActivationTopics {
    /// Whether this deployment replays a dead letter read from `source`: only from its own requests or commands
    /// topic, back onto it. Deployments with other topic prefixes may share the database (and its dead letters).
    public func acceptsReplay(of source: DeadLetterSource) -> Bool {
        source.topic == requests || source.topic == commands
    }
}
