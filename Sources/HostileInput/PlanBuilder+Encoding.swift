/// Injection strings, bytes that are not UTF-8, and members that appear twice.
extension PlanBuilder {
    /// Every injection string in every string field and key.
    mutating func planInjections() {
        for topic in HostileInput.Topic.allCases {
            for target in Self.targets(topic) where target.isString {
                for text in HostileValues.injections {
                    let id = self.nextID(topic)
                    self.add(topic, id: id, .injection, "\(target.name) = \(text.debugDescription)",
                             tree: self.message(topic, id: id, target, .string(text)))
                }
            }
        }
    }

    /// Each sequence that is not UTF-8 inside each string field and key; lone surrogate escapes there; and
    /// sequences at random places of the message.
    mutating func planInvalidUTF8() {
        for topic in HostileInput.Topic.allCases {
            for target in Self.targets(topic) where target.isString {
                for (label, sequence) in HostileValues.invalidUTF8 {
                    let id = self.nextID(topic)
                    let text = Array("ok".utf8) + sequence + Array("ok".utf8)
                    let value = JSONTree.leaf(JSONText.quotedRaw(text), .unreadable)
                    self.add(topic, id: id, .invalidUTF8, "\(target.name) holds \(label)",
                             bytes: self.message(topic, id: id, target, value).rendered(), refusal: .invalidEncoding)
                }
                for escape in HostileValues.loneSurrogates {
                    let id = self.nextID(topic)
                    let value = JSONTree.leaf(JSONText.quotedRaw(Array(escape.utf8)), .unreadable)
                    self.add(topic, id: id, .invalidUTF8, "\(target.name) = \"\(escape)\" (a lone surrogate)",
                             tree: self.message(topic, id: id, target, value))
                }
            }
            for _ in 0..<self.configuration.randomInvalidUTF8 {
                let id = self.nextID(topic)
                var bytes = self.valid(topic, id: id).rendered()
                let position = self.random.below(bytes.count + 1)
                let (label, sequence) = HostileValues.invalidUTF8[self.random.below(HostileValues.invalidUTF8.count)]
                bytes.insert(contentsOf: sequence, at: position)
                self.add(topic, id: id, .invalidUTF8, "\(label) at byte \(position)", bytes: bytes,
                         refusal: .invalidEncoding)
            }
        }
    }

    /// Each field twice in one object, a hostile value before or after the valid one. The decoder keeps the
    /// first occurrence, so only a hostile value in front is refused.
    mutating func planDuplicateMembers() {
        let hostile = "<script>alert(1)</script>"
        for topic in HostileInput.Topic.allCases {
            for field in Self.fields(topic) {
                for first in [false, true] {
                    let id = self.nextID(topic)
                    let tree = self.valid(topic, id: id).duplicating(field.name, with: .string(hostile), first: first)
                    let order = first ? "\(hostile.debugDescription) first, the valid value second"
                        : "the valid value first, \(hostile.debugDescription) second"
                    self.add(topic, id: id, .duplicateMember, "\(field.name) twice: \(order)", tree: tree)
                }
            }
        }
    }
}
