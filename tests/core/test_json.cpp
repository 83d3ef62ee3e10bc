// Strict JSON for untrusted input: duplicates, depth, size, UTF-8, top-level object.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
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
    auto value =
        ajwt::parse_json_object(R"({"a":1,"b":{"c":[1,2,{"d":null}]},"e":"x"})", kLimits, AJWT_ERR_TOKEN_JSON, "test");
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
    for (const char* text : {"{} x", "{}{}", "{\"a\":1,}", "/* c */ {}", "{'a':1}", "{\"a\":NaN}", "{", "{\"a\":01}",
                             "{\"a\":\"\t\"}", "{a:1}"})
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

// ---- members, as the token path reads them ----------------------------------------------

using ajwt::JsonMember;

TEST(JsonMembers, DecodeTokenObjects) {
    const auto members = ajwt::parse_json_members(R"({"s":"a\"b\\c\/\u0041\u0000","i":-42,"f":1439216312.0,)"
                                                  R"("b":true,"n":null,"c":[],"u":18446744073709551615})",
                                                  kLimits, AJWT_ERR_TOKEN_JSON, "t");
    std::map<std::string, JsonMember> by_name;
    for (const auto& m : members) by_name[m.name] = m;
    ASSERT_EQ(by_name.size(), 7u);
    EXPECT_EQ(by_name["s"].string, std::string("a\"b\\c/A\0", 8));
    EXPECT_EQ(by_name["i"].kind, JsonMember::Kind::Integer);
    EXPECT_EQ(by_name["i"].integer, -42);
    EXPECT_EQ(by_name["f"].kind, JsonMember::Kind::Float);
    EXPECT_EQ(by_name["f"].number, 1439216312.0);
    EXPECT_TRUE(by_name["b"].boolean);
    EXPECT_EQ(by_name["n"].kind, JsonMember::Kind::Null);
    EXPECT_EQ(by_name["c"].kind, JsonMember::Kind::Container);
    EXPECT_TRUE(by_name["c"].container_empty);
    EXPECT_EQ(by_name["u"].kind, JsonMember::Kind::Float);  // beyond int64
    EXPECT_EQ(status_of([] { ajwt::parse_json_members(R"({"a":1,"a":2})", kLimits, AJWT_ERR_TOKEN_JSON, "t"); }),
              AJWT_ERR_TOKEN_JSON);
}

}  // namespace
