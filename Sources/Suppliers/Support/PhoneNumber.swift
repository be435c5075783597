/// Phone numbers in E.164 form, whichever way the supplier wrote them.
enum PhoneNumber {
    /// `79991234567` and `+79991234567` both become `+79991234567`.
    static func e164(_ text: String) -> String {
        let digits = text.filter(\.isNumber)
        return "+" + digits
    }
}
