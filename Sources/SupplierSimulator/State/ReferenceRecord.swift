/// What happened to one request reference: every purchase attempt and every activation bought under it.
struct ReferenceRecord: Sendable {
    var attempts = 0
    var activationIDs: [Int] = []
}
