// Request binding: canonical forms of method and target, the bound claims a token carries,
// and the verifier's policy (off / when present / required) and audience.
#include <gtest/gtest.h>

#include <string>

#include "error.hpp"
#include "request_binding.hpp"
#include "status_of.hpp"
#include "token.hpp"
#include "token_test_helpers.hpp"
#include "verifier.hpp"

namespace {

using ajwt::BoundClaims;
using ajwt::RequestBindingRequest;
using ajwt::RequestDetails;
using ajwt::Verifier;
using ajwt_test::private_key;
using ajwt_test::public_key;
using ajwt_test::status_of;

constexpr int64_t kTime = 1700000000;

std::string sign_bound(const RequestBindingRequest& request, const std::string& nonce = "n1") {
    return ajwt::sign_token(*private_key(AJWT_KEY_ED25519), {"alice", kTime, nonce}, AJWT_ALG_UNKNOWN,
                            ajwt::bound_claims_for(request));
}

RequestBindingRequest full_binding() { return {"POST", "/orders?id=7", ajwt::body_digest("{\"qty\":1}"), "billing"}; }

RequestDetails matching_request() { return {"POST", "/orders?id=7", ajwt::body_digest("{\"qty\":1}")}; }

Verifier verifier_with(ajwt_binding_policy policy, std::optional<std::string> audience = "billing") {
    Verifier verifier;
    verifier.set_binding(policy);
    verifier.set_audience(std::move(audience));
    return verifier;
}

ajwt_status verify(const Verifier& verifier, const std::string& token, const RequestDetails* request) {
    return status_of([&] { verifier.verify(verifier.parse(token), *public_key(AJWT_KEY_ED25519), kTime, request); });
}

}  // namespace

TEST(RequestTarget, CanonicalForm) {
    EXPECT_EQ(ajwt::normalize_target("/a/b?x=1&y=2"), "/a/b?x=1&y=2");
    EXPECT_EQ(ajwt::normalize_target("https://Example.com:8443/a?q"), "/a?q");
    EXPECT_EQ(ajwt::normalize_target("http://example.com"), "/");
    EXPECT_EQ(ajwt::normalize_target("/a?"), "/a");                 // empty query = none (Django's get_full_path)
    EXPECT_EQ(ajwt::normalize_target("/a#frag"), "/a");             // a fragment is never sent
    EXPECT_EQ(ajwt::normalize_target("/caf%c3%a9"), "/caf%C3%A9");  // hex upper-cased, non-ASCII kept encoded
    EXPECT_EQ(ajwt::normalize_target("/caf\xc3\xa9"), "/caf%C3%A9");
    EXPECT_EQ(ajwt::normalize_target("/a%20b%21%7e"), "/a%20b!~");  // path: printable ASCII decoded, space kept
    EXPECT_EQ(ajwt::normalize_target("/a%2Fb%3f%23%25"), "/a%2Fb%3F%23%25");          // structure-changing stay encoded
    EXPECT_EQ(ajwt::normalize_target("/p?a=%2b%26%7E&b=c+d"), "/p?a=%2B%26~&b=c+d");  // query: unreserved only
    EXPECT_EQ(ajwt::normalize_target("/a/../b"), "/a/../b");                          // dot segments are kept
    EXPECT_EQ(ajwt::normalize_target("/bad%zz?%"), "/bad%25zz?%25");  // a '%' that starts no escape is data
    // Found by fuzz_request_binding: "%c" then "%61" (a) must not become the escape "%ca" on a second pass.
    EXPECT_EQ(ajwt::normalize_target("/3%c%61*"), "/3%25ca*");
    EXPECT_EQ(ajwt::normalize_target("/3%25ca*"), "/3%25ca*");
}

TEST(RequestTarget, RefusesWhatIsNotAPath) {
    for (const char* target : {"", "a/b", "*", "mailto:x"})
        EXPECT_EQ(status_of([&] { ajwt::normalize_target(target); }), AJWT_ERR_INVALID_ARGUMENT) << target;
    EXPECT_EQ(status_of([] { ajwt::normalize_target("/" + std::string(ajwt::kMaxTargetSize, 'a')); }),
              AJWT_ERR_INVALID_ARGUMENT);
    // Within the input cap, but over it once encoded.
    EXPECT_EQ(status_of([] { ajwt::normalize_target("/" + std::string(2000, ' ')); }), AJWT_ERR_INVALID_ARGUMENT);
}

TEST(RequestMethod, UpperCasedHttpToken) {
    EXPECT_EQ(ajwt::normalize_method("get"), "GET");
    EXPECT_EQ(ajwt::normalize_method("M-SEARCH"), "M-SEARCH");
    for (const char* method : {"", "GE T", "GET\n", "(GET)"})
        EXPECT_EQ(status_of([&] { ajwt::normalize_method(method); }), AJWT_ERR_INVALID_ARGUMENT) << method;
}

TEST(BodyDigest, ContentDigestOfTheBytes) {
    // The example of RFC 9530 §2: the bytes {"hello": "world"}.
    EXPECT_EQ(ajwt::content_digest_value(ajwt::body_digest("{\"hello\": \"world\"}")),
              "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
    EXPECT_EQ(ajwt::content_digest_value(ajwt::body_digest("")),
              "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
}

TEST(RequestBinding, SignedClaimsAreReadBack) {
    const auto parsed = Verifier().parse(sign_bound(full_binding()));
    EXPECT_EQ(parsed.bound().method.value, "POST");
    EXPECT_EQ(parsed.bound().target.value, "/orders?id=7");
    EXPECT_EQ(parsed.bound().body.value, ajwt::content_digest_value(ajwt::body_digest("{\"qty\":1}")));
    EXPECT_EQ(parsed.bound().audience.value, "billing");
    EXPECT_FALSE(Verifier().parse(sign_bound({})).bound().method.present());
}

TEST(RequestBinding, MatchingRequestPassesEveryPolicy) {
    const std::string token = sign_bound(full_binding());
    const RequestDetails request = matching_request();
    for (auto policy : {AJWT_BINDING_OFF, AJWT_BINDING_WHEN_PRESENT, AJWT_BINDING_REQUIRED})
        EXPECT_EQ(verify(verifier_with(policy), token, &request), AJWT_OK) << policy;
    // The request's side is normalised as the signer's was.
    const RequestDetails spelled_differently{"post", "http://h/orders?id=7", ajwt::body_digest("{\"qty\":1}")};
    EXPECT_EQ(verify(verifier_with(AJWT_BINDING_REQUIRED), token, &spelled_differently), AJWT_OK);
}

TEST(RequestBinding, EachTamperedPartHasItsStatus) {
    const std::string token = sign_bound(full_binding());
    for (auto policy : {AJWT_BINDING_WHEN_PRESENT, AJWT_BINDING_REQUIRED}) {
        const Verifier verifier = verifier_with(policy);
        RequestDetails request = matching_request();
        request.method = "DELETE";
        EXPECT_EQ(verify(verifier, token, &request), AJWT_ERR_BINDING_METHOD);
        request = matching_request();
        request.target = "/refunds?id=7";
        EXPECT_EQ(verify(verifier, token, &request), AJWT_ERR_BINDING_TARGET);
        request.target = "/orders?id=8";
        EXPECT_EQ(verify(verifier, token, &request), AJWT_ERR_BINDING_TARGET);
        request = matching_request();
        request.body_digest = ajwt::body_digest("{\"qty\":100}");
        EXPECT_EQ(verify(verifier, token, &request), AJWT_ERR_BINDING_BODY);
        request.body_digest.reset();  // the host could not supply it: fail closed
        EXPECT_EQ(verify(verifier, token, &request), AJWT_ERR_BINDING_BODY);
        request = matching_request();
        EXPECT_EQ(verify(verifier_with(policy, "shipping"), token, &request), AJWT_ERR_BINDING_AUDIENCE);
        EXPECT_EQ(verify(verifier_with(policy, std::nullopt), token, &request), AJWT_ERR_BINDING_AUDIENCE);
        // Without request details at all (plain verify), a bound token cannot be honoured.
        EXPECT_EQ(verify(verifier, token, nullptr), AJWT_ERR_BINDING_METHOD);
    }
}

TEST(RequestBinding, OffIgnoresBoundClaimsAsUpstreamDoes) {
    const std::string token = sign_bound(full_binding());
    RequestDetails tampered{"DELETE", "/elsewhere", ajwt::body_digest("x")};
    EXPECT_EQ(verify(verifier_with(AJWT_BINDING_OFF, "shipping"), token, &tampered), AJWT_OK);
    EXPECT_EQ(verify(Verifier(), token, nullptr), AJWT_OK);
}

TEST(RequestBinding, RequiredRefusesUnboundTokens) {
    const RequestDetails request = matching_request();
    const Verifier required = verifier_with(AJWT_BINDING_REQUIRED);
    EXPECT_EQ(verify(required, sign_bound({}), &request), AJWT_ERR_BINDING_REQUIRED);
    RequestBindingRequest no_body = full_binding();
    no_body.body_digest.reset();
    EXPECT_EQ(verify(required, sign_bound(no_body), &request), AJWT_ERR_BINDING_REQUIRED);
    RequestBindingRequest no_audience = full_binding();
    no_audience.audience.reset();
    EXPECT_EQ(verify(required, sign_bound(no_audience), &request), AJWT_ERR_BINDING_REQUIRED);
    // With no audience configured, none is required.
    EXPECT_EQ(verify(verifier_with(AJWT_BINDING_REQUIRED, std::nullopt), sign_bound(no_audience), &request), AJWT_OK);
    // When present: an unbound token passes.
    EXPECT_EQ(verify(verifier_with(AJWT_BINDING_WHEN_PRESENT), sign_bound({}), &request), AJWT_OK);
}

TEST(RequestBinding, UnusableClaimsAreRefusedUnlessOff) {
    const auto& key = *private_key(AJWT_KEY_ED25519);
    const std::string header = R"({"alg":"EdDSA","typ":"JWT"})";
    const RequestDetails request = matching_request();
    const struct {
        const char* payload_extra;
        ajwt_status expected;
    } cases[] = {
        {R"("ajwt_method":1)", AJWT_ERR_BINDING_METHOD},
        {R"("ajwt_method":"post")", AJWT_ERR_BINDING_METHOD},  // not canonical
        {R"("ajwt_target":"/orders?id=%37")", AJWT_ERR_BINDING_TARGET},
        {R"("ajwt_target":["/orders?id=7"])", AJWT_ERR_BINDING_TARGET},
        {R"("ajwt_body":null)", AJWT_ERR_BINDING_BODY},
        {R"("ajwt_aud":"")", AJWT_ERR_BINDING_AUDIENCE},
    };
    for (const auto& c : cases) {
        const std::string payload =
            std::string(R"({"username":"alice","time":1700000000,"nonce":"n",)") + c.payload_extra + "}";
        const std::string token = ajwt_test::craft_token(key, AJWT_ALG_EDDSA, header, payload);
        EXPECT_EQ(verify(verifier_with(AJWT_BINDING_WHEN_PRESENT), token, &request), c.expected) << c.payload_extra;
        EXPECT_EQ(verify(verifier_with(AJWT_BINDING_OFF), token, &request), AJWT_OK) << c.payload_extra;
    }
}

TEST(RequestBinding, CheckedAfterTheSignatureAndBeforeTheNonce) {
    Verifier verifier = verifier_with(AJWT_BINDING_WHEN_PRESENT);
    auto store = ajwt::make_memory_nonce_store(40, 100);
    verifier.set_nonce_store(store);
    const std::string token = sign_bound(full_binding());
    RequestDetails tampered = matching_request();
    tampered.method = "GET";
    EXPECT_EQ(verify(verifier, token, &tampered), AJWT_ERR_BINDING_METHOD);
    EXPECT_EQ(store->size(), 0u);  // a refused request spends no nonce: the real one still passes
    const RequestDetails request = matching_request();
    EXPECT_EQ(verify(verifier, token, &request), AJWT_OK);
    // A forged signature is a bad signature, whatever it is bound to.
    std::string forged = token;
    forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_EQ(verify(verifier, forged, &tampered), AJWT_ERR_BAD_SIGNATURE);
}

TEST(RequestBinding, SignerRefusesBadDetails) {
    EXPECT_EQ(status_of([] {
                  sign_bound({"GE T", std::nullopt, std::nullopt, std::nullopt});
              }),
              AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([] {
                  sign_bound({std::nullopt, "x", std::nullopt, std::nullopt});
              }),
              AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([] { sign_bound({std::nullopt, std::nullopt, std::nullopt, ""}); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([] { Verifier().set_audience(std::string("a\0b", 3)); }), AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(status_of([] { Verifier().set_binding(static_cast<ajwt_binding_policy>(3)); }),
              AJWT_ERR_INVALID_ARGUMENT);
}
