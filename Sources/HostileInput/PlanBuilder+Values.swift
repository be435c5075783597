/// Damage to single values: wrong types, missing fields, unknown versions, oversized values.
extension PlanBuilder {
    /// Every value of ``HostileValues/wrongTypes`` in every field, except those the field accepts (`null` for
    /// an optional field, `{}` for metadata).
    mutating func planWrongTypes() {
        for topic in HostileInput.Topic.allCases {
            for target in Self.targets(topic) where !target.isKey {
                for (label, value) in HostileValues.wrongTypes {
                    let probe = self.message(topic, id: self.placeholderID, target, value)
                    guard WireField.verdict(of: probe, fields: Self.fields(topic), limits: self.limits) != nil else {
                        continue
                    }
                    let id = self.nextID(topic)
                    self.add(topic, id: id, .wrongType, "\(target.name) = \(label)",
                             tree: self.message(topic, id: id, target, value))
                }
            }
        }
    }

    /// Each required field, nested ones included, left out.
    mutating func planMissingFields() {
        for topic in HostileInput.Topic.allCases {
            for target in Self.targets(topic) where !target.isKey && !target.path.contains(where: { $0.isIndex }) {
                let probe = self.valid(topic, id: self.placeholderID).replacing(target.path, with: nil)
                guard let probe, WireField.verdict(of: probe, fields: Self.fields(topic), limits: self.limits) != nil
                else { continue }
                let id = self.nextID(topic)
                let tree = self.valid(topic, id: id).replacing(target.path, with: nil) ?? probe
                self.add(topic, id: id, .missingField, "without \(target.name)", tree: tree)
            }
        }
    }

    /// `schema_version` values this worker does not read.
    mutating func planVersions() {
        for topic in HostileInput.Topic.allCases {
            for version in HostileValues.unknownVersions {
                let id = self.nextID(topic)
                let tree = self.valid(topic, id: id).replacing([.key("schema_version")], with: .number(version))
                self.add(topic, id: id, .unknownSchemaVersion, "schema_version = \(version)",
                         tree: tree ?? self.valid(topic, id: id))
            }
        }
    }

    /// One value of ``HostileInputGenerator/Configuration/oversizedValueBytes`` in each string field and key,
    /// and as the digits of each number; built only when the input is reached.
    mutating func planOversizedValues() {
        let size = self.configuration.oversizedValueBytes
        let template = self.template
        for topic in HostileInput.Topic.allCases {
            var targets = Self.targets(topic).filter(\.isString).map { ($0, false) }
            targets += Self.targets(topic).filter { ["schema_version", "max_price.amount_minor"].contains($0.name) }
                .map { ($0, true) }
            for (target, isNumber) in targets {
                let id = self.nextID(topic)
                let summary = "\(target.name) is a \(size)-byte \(isNumber ? "number" : "string")"
                self.addDeferred(topic, id: id, .oversizedValue, summary) {
                    // Lower-case letters fit every charset: only the length is wrong.
                    let value: JSONTree = isNumber
                        ? .leaf([UInt8](repeating: 0x39, count: size), .hugeNumber)
                        : .leaf(JSONText.quotedRaw([UInt8](repeating: 0x61, count: size)),
                                .string(String(repeating: "a", count: size)))
                    return Self.message(topic, id: id, target, value, template: template)
                }
            }
        }
    }
}

extension JSONPathStep {
    /// Whether the step is an array element.
    var isIndex: Bool {
        if case .index = self { return true }
        return false
    }
}
