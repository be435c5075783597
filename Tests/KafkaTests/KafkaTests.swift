// Placeholder until the Kafka tests land.
