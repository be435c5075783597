/// A place in a valid message where the generator puts a hostile value or key.
struct WireTarget: Sendable {
    /// How rejections and summaries name it: `max_price.currency`, `countries[0]`, `metadata key`.
    var name: String
    /// Where it is.
    var path: [JSONPathStep]
    /// Whether the target is an object key rather than a value (the metadata key).
    var isKey: Bool = false
    /// Whether the valid value is a string (string targets get injections, invalid UTF-8, oversized text).
    var isString: Bool

    /// Objects and arrays enclosing the target's value: the top-level object and each container on the path.
    var enclosingDepth: Int { self.path.count }
}
