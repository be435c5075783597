import ArgumentParser

/// A topic and its partition count on the command line: `name:partitions` (partitions default 1).
struct TopicSpec: ExpressibleByArgument, Sendable, Hashable {
    var name: String
    var partitions: Int

    init(name: String, partitions: Int) {
        self.name = name
        self.partitions = partitions
    }

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, parts.count <= 2 else { return nil }
        name = String(first)
        if parts.count == 2 {
            guard let partitions = Int(parts[1]), partitions > 0 else { return nil }
            self.partitions = partitions
        } else {
            partitions = 1
        }
    }

    static var defaultValueDescription: String { "name:partitions" }
}
