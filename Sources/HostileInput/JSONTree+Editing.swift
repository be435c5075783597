/// One step of a path into a ``JSONTree``: an object member or an array element.
enum JSONPathStep: Sendable, Hashable {
    case key(String)
    case index(Int)
}

extension JSONTree {
    /// This tree with the value at `path` replaced by `value`, or removed when `value` is nil.
    ///
    /// A path that does not exist leaves the tree as it is; the generator only uses paths of its templates.
    func replacing(_ path: some Collection<JSONPathStep>, with value: JSONTree?) -> JSONTree? {
        guard let step = path.first else { return value }
        let rest = path.dropFirst()
        switch (self, step) {
        case (.object(var members), .key(let key)):
            guard let index = members.firstIndex(where: { $0.key == key }) else { return self }
            if let replaced = members[index].value.replacing(rest, with: value) {
                members[index].value = replaced
            } else {
                members.remove(at: index)
            }
            return .object(members)
        case (.array(var elements), .index(let index)) where elements.indices.contains(index):
            if let replaced = elements[index].replacing(rest, with: value) {
                elements[index] = replaced
            } else {
                elements.remove(at: index)
            }
            return .array(elements)
        default:
            return self
        }
    }

    /// This tree with the key of the member at `path` replaced: `key` as decoded, `rawKey` as sent.
    func replacingKey(
        _ path: some Collection<JSONPathStep>, key: String, rawKey: [UInt8], isReadable: Bool = true
    ) -> JSONTree {
        guard let step = path.first else { return self }
        let rest = path.dropFirst()
        switch (self, step) {
        case (.object(var members), .key(let name)):
            guard let index = members.firstIndex(where: { $0.key == name }) else { return self }
            if rest.isEmpty {
                members[index].key = key
                members[index].rawKey = rawKey
                members[index].keyIsReadable = isReadable
            } else {
                members[index].value = members[index].value.replacingKey(
                    rest, key: key, rawKey: rawKey, isReadable: isReadable)
            }
            return .object(members)
        case (.array(var elements), .index(let index)) where elements.indices.contains(index):
            elements[index] = elements[index].replacingKey(rest, key: key, rawKey: rawKey, isReadable: isReadable)
            return .array(elements)
        default:
            return self
        }
    }
}

extension JSONTree {
    /// This object with a second member named `key` holding `value`, right after the first one of that name
    /// (`first: false`) or right before it (`first: true`). A reader that keeps the first occurrence sees
    /// `value` only in the second case.
    func duplicating(_ key: String, with value: JSONTree, first: Bool) -> JSONTree {
        guard case .object(var members) = self, let index = members.firstIndex(where: { $0.key == key }) else {
            return self
        }
        members.insert(Member(key: key, rawKey: JSONText.quoted(key), value: value), at: first ? index : index + 1)
        return .object(members)
    }
}
