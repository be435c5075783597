import Foundation
import Testing

@testable import Suppliers

@Suite("QueryString: supplier query parameters")
struct QueryStringTests {
    @Test("unreserved ASCII stays, everything else is escaped, byte by byte")
    func escaping() {
        #expect(QueryString.escape("getNumberV2") == "getNumberV2")
        #expect(QueryString.escape("a-b.c_d~e09AZ") == "a-b.c_d~e09AZ")
        #expect(QueryString.escape("a b&c=d+e/f?g#%") == "a%20b%26c%3Dd%2Be%2Ff%3Fg%23%25")
        #expect(QueryString.escape("café") == "caf%C3%A9", "a non-ASCII letter is escaped too")
        #expect(QueryString.escape("Кз") == "%D0%9A%D0%B7")
        #expect(QueryString.escape("") == "")
    }

    @Test("pairs in order, nil values left out, and read back as they were")
    func pairs() throws {
        let pairs: [(String, String?)] = [
            ("api_key", "k+ey/=="), ("action", "getNumber"), ("operator", nil), ("service", "tg"), ("note", "Ваш код & more"),
        ]
        let query = QueryString.encode(pairs)
        #expect(query == "api_key=k%2Bey%2F%3D%3D&action=getNumber&service=tg&note=%D0%92%D0%B0%D1%88%20%D0%BA%D0%BE%D0%B4%20%26%20more")
        let items = try #require(URLComponents(string: "http://127.0.0.1/stubs/handler_api.php?" + query)?.queryItems)
        #expect(items.map(\.name) == ["api_key", "action", "service", "note"])
        #expect(items.map(\.value) == ["k+ey/==", "getNumber", "tg", "Ваш код & more"])
        #expect(QueryString.encode([]) == "" && QueryString.encode([("a", nil)]) == "")
    }
}
