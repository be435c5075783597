/// Damage below the fields: truncation, nesting, whole messages that are no object, random bytes.
extension PlanBuilder {
    /// Every strict prefix of each topic's valid message.
    mutating func planTruncations() {
        for topic in HostileInput.Topic.allCases {
            let total = self.valid(topic, id: self.placeholderID).rendered().count
            for length in 0..<total {
                let id = self.nextID(topic)
                let bytes = Array(self.valid(topic, id: id).rendered().prefix(length))
                self.add(topic, id: id, .truncatedJSON, "truncated to \(length) of \(total) bytes", bytes: bytes,
                         refusal: .malformedJSON)
            }
        }
    }

    /// Unclosed arrays and closed objects at the top level, and nesting inside fields, beyond the depth limit;
    /// inside fields also exactly at the limit, where the field's type decides.
    mutating func planNesting() {
        let limit = self.limits.maxNestingDepth
        let deepest = max(self.configuration.maxNestingDepth, limit + 1)
        let depths = [limit + 1, 64, 1_000, 10_000, 100_000].filter { $0 <= deepest }
        for topic in HostileInput.Topic.allCases {
            for depth in depths {
                let arrays = self.nextID(topic)
                self.add(topic, id: arrays, .deepNesting, "\(depth) unclosed arrays",
                         bytes: [UInt8](repeating: 0x5B, count: depth), refusal: .tooDeep)
                let objects = self.nextID(topic)
                let bytes = Array(String(repeating: #"{"a":"#, count: depth).utf8) + [0x31]
                    + [UInt8](repeating: 0x7D, count: depth)
                self.add(topic, id: objects, .deepNesting, "\(depth) nested objects", bytes: bytes, refusal: .tooDeep)
            }
            // The innermost value is of the field's type, so only the nesting is wrong.
            let targets: [(name: String, inner: String, objects: Bool)] = topic == .requests
                ? [("countries[0]", #""usa""#, false), ("metadata.note", #""x""#, true),
                   ("max_price.amount_minor", "1", false)]
                : [("reason", #""x""#, false), ("kind", #""cancel""#, true)]
            for (name, inner, objects) in targets {
                guard let target = Self.targets(topic).first(where: { $0.name == name }) else { continue }
                for depth in [limit] + depths where depth > target.enclosingDepth {
                    let id = self.nextID(topic)
                    let value = Self.nested(depth - target.enclosingDepth, inner: inner, objects: objects)
                    let tree = self.message(topic, id: id, target, value)
                    let summary = "\(name) nested to a depth of \(depth)\(depth == limit ? " (the limit)" : "")"
                    if depth > limit {
                        self.add(topic, id: id, .deepNesting, summary, bytes: tree.rendered(), refusal: .tooDeep)
                    } else {
                        self.add(topic, id: id, .deepNesting, summary, tree: tree)
                    }
                }
            }
        }
    }

    /// `levels` arrays (or objects with key `a`) around `inner`, as one raw leaf: a tree of 100,000 levels
    /// would exhaust the stack when rendered recursively.
    static func nested(_ levels: Int, inner: String, objects: Bool) -> JSONTree {
        let open = objects ? Array(#"{"a":"#.utf8) : [0x5B]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(levels * (open.count + 1) + inner.utf8.count)
        for _ in 0..<levels { bytes += open }
        bytes += Array(inner.utf8)
        bytes += [UInt8](repeating: objects ? 0x7D : 0x5D, count: levels)
        return .leaf(bytes, .nested)
    }

    /// Empty and blank messages, scalars, arrays, a JSON string holding the message, two messages, trailing
    /// garbage, `{}`, and a byte order mark in front.
    mutating func planNotAnObject() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        for topic in HostileInput.Topic.allCases {
            for (summary, text) in [("empty", ""), ("a space", " "), ("blanks", " \t\r\n "), ("true", "true"),
                                    ("false", "false"), ("a number", "-1.5e3"), ("a string", #""text""#),
                                    ("an empty array", "[]"), ("an array of numbers", "[1,2,3]")] {
                let id = self.nextID(topic)
                self.add(topic, id: id, .notAnObject, "the whole message is \(summary)", bytes: Array(text.utf8),
                         refusal: .malformedJSON)
            }
            let wrapped: [(String, ([UInt8]) -> [UInt8])] = [
                ("the message inside an array", { [0x5B] + $0 + [0x5D] }),
                ("the message as a JSON string", { JSONText.quoted(String(decoding: $0, as: UTF8.self)) }),
                ("the message twice", { $0 + $0 }),
                ("the message and trailing garbage", { $0 + Array(" x".utf8) }),
            ]
            for (summary, wrap) in wrapped {
                let id = self.nextID(topic)
                self.add(topic, id: id, .notAnObject, summary, bytes: wrap(self.valid(topic, id: id).rendered()),
                         refusal: .malformedJSON)
            }
            // The decoder reads `null` as an object whose every field is missing.
            let null = self.nextID(topic)
            self.add(topic, id: null, .notAnObject, "the whole message is null", bytes: Array("null".utf8),
                     refusal: .missingField)
            let empty = self.nextID(topic)
            self.add(topic, id: empty, .notAnObject, "an empty object", tree: .object([(String, JSONTree)]()))
            let emptyWithBOM = self.nextID(topic)
            self.add(topic, id: emptyWithBOM, .notAnObject, "a byte order mark and an empty object",
                     bytes: bom + Array("{}".utf8), refusal: .missingField)
            let versionOnly = self.nextID(topic)
            self.add(topic, id: versionOnly, .notAnObject, "only schema_version",
                     tree: .object([("schema_version", .number(1))]))
            // A byte order mark is skipped: the message behind it is read.
            let validWithBOM = self.nextID(topic)
            let tree = self.valid(topic, id: validWithBOM)
            self.add(topic, id: validWithBOM, .notAnObject, "a byte order mark and the message", tree: tree,
                     bytes: bom + tree.rendered())
        }
    }

    /// Random bytes: binary ones with at least one byte that is never UTF-8 (0xFF), and printable ones that
    /// cannot start a JSON value and hold no brackets.
    mutating func planGarbage() {
        let starts = Array("ABCDEGHIJKLMOPQRSUVWXYZ<>!#%&()*+/;=?@^_|~".utf8)
        for topic in HostileInput.Topic.allCases {
            for index in 0..<self.configuration.garbage {
                let id = self.nextID(topic)
                if index.isMultiple(of: 2) {
                    var bytes = (0..<1 + self.random.below(512)).map { _ in self.random.byte() }
                    bytes[self.random.below(bytes.count)] = 0xFF
                    self.add(topic, id: id, .garbage, "\(bytes.count) random bytes", bytes: bytes,
                             refusal: .invalidEncoding)
                } else {
                    var bytes = [starts[self.random.below(starts.count)]]
                    for _ in 0..<self.random.below(256) {
                        var byte = UInt8(0x20 + self.random.below(95))
                        if byte == 0x5B || byte == 0x7B { byte = 0x2E }
                        bytes.append(byte)
                    }
                    self.add(topic, id: id, .garbage, "\(bytes.count) random printable characters", bytes: bytes,
                             refusal: .malformedJSON)
                }
            }
        }
    }
}
