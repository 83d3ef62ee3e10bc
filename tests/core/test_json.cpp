// Strict JSON for untrusted input: duplicates, depth, size, UTF-8, top-level object.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "error.hpp"
#include "strict_json.hpp"
#include "token_test_helpers.hpp"

namespace {

using ajwt_test::status_of;

constexpr ajwt::JsonLimits kLimits{1024, 4};

ajwt_status parse_status(const std::string& text, const ajwt::JsonLimits& limits = kLimits) {
    return status_of([&] { ajwt::parse_json_object(text, limits, AJWT_ERR_TOKEN_JSON, "test"); });
}

TEST(StrictJson, AcceptsObjects) {
    auto value = ajwt::parse_json_object(R"({"a":1,"b":{"c":[1,2,{"d":null}]},"e":"x"})", kLimits,
                                         AJWT_ERR_TOKEN_JSON, "test");
    EXPECT_EQ(value["a"], 1);
    EXPECT_EQ(value["b"]["c"][2]["d"], nullptr);
    EXPECT_EQ(parse_status("{}"), AJWT_OK);
    EXPECT_EQ(parse_status(" \n{ \"a\" : 1 }\t"), AJWT_OK);
}

TEST(StrictJson, RejectsDuplicateMembersAtAnyDepth) {
    EXPECT_EQ(parse_status(R"({"a":1,"a":2})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"a":1,"a":1})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"x":{"b":1,"b":2}})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"x":[{"b":1},{"b":1,"b":2}]})"), AJWT_ERR_TOKEN_JSON);
    // The same name spelled with an escape is still the same name.
    EXPECT_EQ(parse_status(R"({"a":1,"\u0061":2})"), AJWT_ERR_TOKEN_JSON);
}

TEST(StrictJson, SameNameInDifferentObjectsIsFine) {
    EXPECT_EQ(parse_status(R"({"a":{"x":1},"b":{"x":1}})"), AJWT_OK);
    EXPECT_EQ(parse_status(R"({"x":{"x":{"x":1}}})"), AJWT_OK);
    EXPECT_EQ(parse_status(R"({"l":[{"x":1},{"x":2}]})"), AJWT_OK);
}

TEST(StrictJson, DepthCap) {
    // Top-level object is depth 0; max_depth 4 allows containers up to depth 3.
    EXPECT_EQ(parse_status(R"({"a":{"b":{"c":{}}}})"), AJWT_OK);
    EXPECT_EQ(parse_status(R"({"a":{"b":{"c":{"d":{}}}}})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"a":[[[]]]})"), AJWT_OK);
    EXPECT_EQ(parse_status(R"({"a":[[[[]]]]})"), AJWT_ERR_TOKEN_JSON);
}

TEST(StrictJson, DeepNestingAttackIsRefusedCheaply) {
    const std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
    EXPECT_EQ(parse_status(deep, ajwt::JsonLimits{1 << 20, 16}), AJWT_ERR_TOKEN_JSON);
}

TEST(StrictJson, SizeCap) {
    std::string text = "{\"a\":\"" + std::string(1024 - 8, 'x') + "\"}";
    ASSERT_EQ(text.size(), 1024u);
    EXPECT_EQ(parse_status(text), AJWT_OK);
    text.insert(6, "y");
    EXPECT_EQ(parse_status(text), AJWT_ERR_TOKEN_JSON);
}

TEST(StrictJson, RejectsInvalidUtf8) {
    EXPECT_EQ(parse_status("{\"a\":\"\xff\"}"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status("{\"a\":\"\xc0\xaf\"}"), AJWT_ERR_TOKEN_JSON);      // overlong '/'
    EXPECT_EQ(parse_status("{\"a\":\"\xed\xa0\x80\"}"), AJWT_ERR_TOKEN_JSON);  // UTF-8 encoded surrogate
    EXPECT_EQ(parse_status("{\"a\":\"\xe2\x82\"}"), AJWT_ERR_TOKEN_JSON);      // truncated sequence
    EXPECT_EQ(parse_status("{\"\xfe\":1}"), AJWT_ERR_TOKEN_JSON);              // in a member name
    EXPECT_EQ(parse_status("{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}"), AJWT_OK);
}

TEST(StrictJson, RejectsLoneSurrogateEscapes) {
    EXPECT_EQ(parse_status(R"({"a":"\ud800"})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"a":"\udc00"})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"a":"\ud800x"})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"a":"\ud800\u0041"})"), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"a":"\ud83d\ude00"})"), AJWT_OK);
}

TEST(StrictJson, TopLevelMustBeAnObject) {
    for (const char* text : {"[]", "[{}]", "\"a\"", "1", "null", "true", ""})
        EXPECT_EQ(parse_status(text), AJWT_ERR_TOKEN_JSON) << text;
}

TEST(StrictJson, RejectsNonJson) {
    for (const char* text : {"{} x", "{}{}", "{\"a\":1,}", "/* c */ {}", "{'a':1}", "{\"a\":NaN}", "{",
                             "{\"a\":01}", "{\"a\":\"\t\"}", "{a:1}"})
        EXPECT_EQ(parse_status(text), AJWT_ERR_TOKEN_JSON) << text;
}

TEST(StrictJson, RejectsRawNulBytes) {
    // nlohmann alone would stop at the NUL and accept what came before it.
    EXPECT_EQ(parse_status(std::string("{\"a\":1}\0", 8)), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(std::string("{\"a\":1}\0garbage", 15)), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(std::string("{\"a\":\"\0\"}", 9)), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(std::string("{\"a\":{\"b\":1}}\0", 14)), AJWT_ERR_TOKEN_JSON);
    EXPECT_EQ(parse_status(R"({"a":"\u0000"})"), AJWT_OK);  // an escaped NUL is valid JSON
}

TEST(StrictJson, ReportsTheGivenStatusAndWhat) {
    try {
        ajwt::parse_json_object("[]", kLimits, AJWT_ERR_JWKS_PARSE, "JWKS");
        FAIL() << "no exception";
    } catch (const ajwt::Error& e) {
        EXPECT_EQ(e.status(), AJWT_ERR_JWKS_PARSE);
        EXPECT_EQ(std::string(e.what()).rfind("JWKS: ", 0), 0u) << e.what();
    }
}

// ---- the direct scan of flat objects must agree with the DOM path -------------------------

using ajwt::JsonMember;

std::string describe(const JsonMember& m) {
    std::string out = m.name + "=";
    switch (m.kind) {
        case JsonMember::Kind::String: return out + "s:" + m.string;
        case JsonMember::Kind::Integer: return out + "i:" + std::to_string(m.integer);
        case JsonMember::Kind::Float: return out + "f:" + std::to_string(m.number);
        case JsonMember::Kind::Bool: return out + (m.boolean ? "true" : "false");
        case JsonMember::Kind::Null: return out + "null";
        case JsonMember::Kind::Container: return out + "container";
    }
    return out;
}

std::vector<std::string> describe_sorted(const std::vector<JsonMember>& members) {
    std::vector<std::string> out;
    for (const auto& m : members) out.push_back(describe(m));
    std::sort(out.begin(), out.end());
    return out;
}

struct Outcome {
    bool handled = true;  // false: the scan left it to the DOM
    ajwt_status status = AJWT_OK;
    std::vector<std::string> members;
};

Outcome scan_outcome(const std::string& text, const ajwt::JsonLimits& limits) {
    Outcome outcome;
    try {
        auto members = ajwt::scan_flat_json_object(text, limits, AJWT_ERR_TOKEN_JSON, "t");
        if (!members) outcome.handled = false;
        else outcome.members = describe_sorted(*members);
    } catch (const ajwt::Error& e) {
        outcome.status = e.status();
    }
    return outcome;
}

Outcome dom_outcome(const std::string& text, const ajwt::JsonLimits& limits) {
    Outcome outcome;
    try {
        outcome.members =
            describe_sorted(ajwt::json_object_members(ajwt::parse_json_object(text, limits, AJWT_ERR_TOKEN_JSON, "t")));
    } catch (const ajwt::Error& e) {
        outcome.status = e.status();
    }
    return outcome;
}

// True when the scan either deferred or decided exactly as the DOM path.
::testing::AssertionResult scan_agrees(const std::string& text, const ajwt::JsonLimits& limits = kLimits) {
    const Outcome scan = scan_outcome(text, limits);
    const Outcome dom = dom_outcome(text, limits);
    if (scan.handled && (scan.status != dom.status || scan.members != dom.members))
        return ::testing::AssertionFailure() << "scan and DOM disagree on [" << text << "]: scan status " << scan.status
                                             << ", DOM status " << dom.status;
    // parse_json_members, whichever path it takes, must equal the DOM.
    Outcome combined;
    try {
        combined.members = describe_sorted(ajwt::parse_json_members(text, limits, AJWT_ERR_TOKEN_JSON, "t"));
    } catch (const ajwt::Error& e) {
        combined.status = e.status();
    }
    if (combined.status != dom.status || combined.members != dom.members)
        return ::testing::AssertionFailure() << "parse_json_members differs from the DOM on [" << text << "]";
    return ::testing::AssertionSuccess();
}

TEST(FlatJsonScan, HandlesTokenObjects) {
    for (const char* text : {R"({"alg":"RS512","kid":"53c5b68c","typ":"JWT"})",
                             R"({"nonce":"1","time":1439216312,"username":"guido"})", "{}", " { } ",
                             R"({"a":true,"b":false,"c":null,"d":-0,"e":1.5e3,"f":"\u00e9\ud83d\ude00\n"})"}) {
        auto members = ajwt::scan_flat_json_object(text, kLimits, AJWT_ERR_TOKEN_JSON, "t");
        EXPECT_TRUE(members.has_value()) << text;
        EXPECT_TRUE(scan_agrees(text));
    }
    auto members = ajwt::scan_flat_json_object(R"({"s":"a\"b\\c\/\u0041\u0000","i":-42,"f":1439216312.0})",
                                               kLimits, AJWT_ERR_TOKEN_JSON, "t");
    ASSERT_TRUE(members.has_value());
    ASSERT_EQ(members->size(), 3u);
    EXPECT_EQ((*members)[0].string, std::string("a\"b\\c/A\0", 8));
    EXPECT_EQ((*members)[1].kind, JsonMember::Kind::Integer);
    EXPECT_EQ((*members)[1].integer, -42);
    EXPECT_EQ((*members)[2].kind, JsonMember::Kind::Float);
    EXPECT_EQ((*members)[2].number, 1439216312.0);
}

TEST(FlatJsonScan, DefersWhatItDoesNotHandle) {
    for (const char* text : {R"({"a":{}})", R"({"a":[1]})", "[]", "\xef\xbb\xbf{}", "1", R"({"a":1e400})"})
        EXPECT_FALSE(ajwt::scan_flat_json_object(text, kLimits, AJWT_ERR_TOKEN_JSON, "t").has_value()) << text;
    std::string many = "{";
    for (int i = 0; i < 40; ++i) many += (i ? ",\"" : "\"") + std::to_string(i) + "\":1";
    many += "}";
    EXPECT_FALSE(ajwt::scan_flat_json_object(many, kLimits, AJWT_ERR_TOKEN_JSON, "t").has_value());
    EXPECT_TRUE(scan_agrees(many));
}

TEST(FlatJsonScan, AgreesWithTheDomOnACorpus) {
    const char* corpus[] = {
        "{}", "{ }", "{\"a\":1}", "{\"a\":1,\"a\":1}", "{\"a\":1,\"\\u0061\":2}", "{\"a\":1,}", "{,}", "{\"a\"}",
        "{\"a\":}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{\"a\":01}", "{\"a\":-}", "{\"a\":-01}", "{\"a\":1.}",
        "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":+1}", "{\"a\":1E5}", "{\"a\":1e-5}", "{\"a\":-0.0}",
        "{\"a\":9223372036854775807}", "{\"a\":9223372036854775808}", "{\"a\":-9223372036854775808}",
        "{\"a\":-9223372036854775809}", "{\"a\":18446744073709551615}", "{\"a\":18446744073709551616}",
        "{\"a\":123456789012345678901234567890}", "{\"a\":1e308}", "{\"a\":4.9e-324}", "{\"a\":tru}",
        "{\"a\":truee}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}",
        "{\"a\":\"\\ud800\"}", "{\"a\":\"\\ud800\\ud800\"}", "{\"a\":\"\\udbff\\udfff\"}", "{\"a\":\"\\uDC00\"}",
        "{\"a\":\"\\ud800\\n\"}", "{\"a\":\"\t\"}", "{\"a\":\"\x7f\"}", "{\"a\":\"\xc2\x80\"}", "{\"a\":\"\xc1\xbf\"}",
        "{\"a\":\"\xe0\x9f\xbf\"}", "{\"a\":\"\xe0\xa0\x80\"}", "{\"a\":\"\xed\x9f\xbf\"}", "{\"a\":\"\xed\xa0\x80\"}",
        "{\"a\":\"\xef\xbf\xbf\"}", "{\"a\":\"\xf0\x8f\xbf\xbf\"}", "{\"a\":\"\xf0\x90\x80\x80\"}",
        "{\"a\":\"\xf4\x8f\xbf\xbf\"}", "{\"a\":\"\xf4\x90\x80\x80\"}", "{\"a\":\"\xf5\x80\x80\x80\"}",
        "{\"a\":\"\xc3\"}", "{\"a\":\"\xe2\x82\"}", "{\"a\":\"\x80\"}", "{\"a\":\"abc", "{\"a\":\"abc\"", "{\"a\":1",
        "{\"a\":1}}", "{\"a\":1} ", "{\"a\":1}\n", "{\"a\":1}x", "\t{\"a\":1}",
        "{\"a\":1,\"b\":{\"c\":1}}", "{\"a\":1,\"b\":{\"c\":1,\"c\":2}}", "{\"a\":1,\"a\":{}}", "{\"a\":{},\"a\":1}",
        "{\"a\":1}/**/", "{\"\":1}", "{\"\":1,\"\":2}", "{'a':1}", "{a:1}", "{\"a\":\"\\/\"}", "{\"a\":NaN}",
        "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":0x10}", "{\"a\":1_000}", "{\"a\":\"\\U0041\"}",
    };
    for (const char* text : corpus) EXPECT_TRUE(scan_agrees(text));
    for (const std::string& text : {std::string("{\"a\":1}\0", 8), std::string("{\"a\"\0:1}", 8),
                                   std::string("{\"a\":\"\0\"}", 9), std::string("\0{}", 3)})
        EXPECT_TRUE(scan_agrees(text));
    // Size and depth limits apply to both.
    EXPECT_TRUE(scan_agrees("{\"a\":1}", ajwt::JsonLimits{6, 4}));
    EXPECT_TRUE(scan_agrees("{\"a\":1}", ajwt::JsonLimits{7, 4}));
    EXPECT_TRUE(scan_agrees("{\"a\":1}", ajwt::JsonLimits{100, 0}));
}

TEST(FlatJsonScan, AgreesWithTheDomUnderMutation) {
    const std::string seeds[] = {
        R"({"alg":"RS512","kid":"53c5b68c5ecba3e25df3f8326de6c0b0","typ":"JWT"})",
        R"({"nonce":"1","time":1439216312,"username":"guido"})",
        R"({"a":"\u00e9\ud83d\ude00","b":-1.5e-3,"c":[true,null],"d":false})",
        "{\"u\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\",\"t\":0}",
    };
    const std::string alphabet = std::string("{}[]\":,\\/ \t\nu0123456789abcdefABCDEF-+.eEtrufalsn") +
                                 std::string("\x00\x1f\x7f\x80\xbf\xc2\xc3\xe0\xed\xef\xf0\xf4\xff", 13);
    std::mt19937 rng(12345);
    size_t handled = 0;
    for (int round = 0; round < 40000; ++round) {
        std::string text = seeds[round % 4];
        const int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits; ++e) {
            const size_t at = rng() % (text.size() + 1);
            const char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
                case 0: if (at < text.size()) text[at] = c; break;
                case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c); break;
                default: if (at < text.size()) text.erase(at, 1); break;
            }
        }
        if (scan_outcome(text, kLimits).handled) ++handled;
        ASSERT_TRUE(scan_agrees(text)) << "round " << round;
    }
    EXPECT_GT(handled, 20000u);  // the comparison really exercised the scan
}

}  // namespace
