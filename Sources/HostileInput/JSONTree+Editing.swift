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
    func replacingKey(_ path: some Collection<JSONPathStep>, key: String, rawKey: [UInt8]) -> JSONTree {
        guard let step = path.first else { return self }
        let rest = path.dropFirst()
        switch (self, step) {
        case (.object(var members), .key(let name)):
            guard let index = members.firstIndex(where: { $0.key == name }) else { return self }
            if rest.isEmpty {
                members[index].key = key
                members[index].rawKey = rawKey
            } else {
                members[index].value = members[index].value.replacingKey(rest, key: key, rawKey: rawKey)
            }
            return .object(members)
        case (.array(var elements), .index(let index)) where elements.indices.contains(index):
            elements[index] = elements[index].replacingKey(rest, key: key, rawKey: rawKey)
            return .array(elements)
        default:
            return self
        }
    }
}
