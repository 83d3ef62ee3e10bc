// Request binding through the C ABI: ajwt_sign_request, the verifier's binding policy and
// audience, ajwt_verify_request, ajwt_check_request_binding and ajwt_authenticate_request.
#include <array>
#include <optional>
#include <string>

#include "capi_support.hpp"

using namespace capi_test;

namespace {

constexpr int64_t kNow = 1700000000;
using Digest = std::array<uint8_t, AJWT_BODY_DIGEST_SIZE>;

Digest digest_of(const std::string& body) {
    Digest digest{};
    if (ajwt_body_digest(reinterpret_cast<const uint8_t*>(body.data()), body.size(), digest.data(), nullptr) != AJWT_OK)
        throw std::runtime_error("ajwt_body_digest");
    return digest;
}

// A bound request as a host sees it; empty method/target = unknown (NULL).
struct Request {
    std::string method = "PUT";
    std::string target = "/v1/items/42?dry_run=1";
    std::string body = R"({"name":"x"})";
    bool body_known = true;
};

ajwt_status sign_request(const ajwt_key* key, const std::string& nonce, const Request& request, const char* audience,
                         std::string* token, ajwt_error* err = nullptr) {
    const Digest digest = digest_of(request.body);
    char* out = nullptr;
    size_t len = 0;
    const ajwt_status status =
        ajwt_sign_request(key, "alice", 5, kNow, nonce.data(), nonce.size(), AJWT_ALG_UNKNOWN, request.method.data(),
                          request.method.size(), request.target.data(), request.target.size(), digest.data(), audience,
                          audience ? std::strlen(audience) : 0, &out, &len, err);
    Bytes owner(out);
    if (status == AJWT_OK) *token = std::string(out, len);
    return status;
}

std::string sign_request(const ajwt_key* key, const std::string& nonce, const Request& request,
                         const char* audience = "inventory") {
    std::string token;
    ajwt_error err{};
    const ajwt_status status = sign_request(key, nonce, request, audience, &token, &err);
    if (status != AJWT_OK) throw std::runtime_error(describe(status) + ": " + err.message);
    return token;
}

struct Fixture {
    Key key = generate(AJWT_KEY_ED25519);
    Key pub = public_of(key.get());
    Verifier verifier = new_verifier();

    explicit Fixture(ajwt_binding_policy policy = AJWT_BINDING_REQUIRED, const char* audience = "inventory") {
        EXPECT_OK(ajwt_verifier_set_binding(verifier.get(), policy, nullptr));
        if (audience) EXPECT_OK(ajwt_verifier_set_audience(verifier.get(), audience, std::strlen(audience), nullptr));
    }

    ajwt_status verify(const std::string& token, const Request& request, ajwt_error* err = nullptr) {
        ajwt_token* parsed = nullptr;
        ajwt_status status = ajwt_verifier_parse(verifier.get(), token.data(), token.size(), &parsed, err);
        Token owner(parsed);
        if (status != AJWT_OK) return status;
        const Digest digest = digest_of(request.body);
        return ajwt_verify_request(verifier.get(), parsed, pub.get(), static_cast<double>(kNow),
                                   request.method.empty() ? nullptr : request.method.data(), request.method.size(),
                                   request.target.empty() ? nullptr : request.target.data(), request.target.size(),
                                   request.body_known ? digest.data() : nullptr, err);
    }
};

}  // namespace

TEST(CapiBinding, MatchingRequestVerifies) {
    Fixture f;
    const Request request;
    EXPECT_OK(f.verify(sign_request(f.key.get(), "n1", request), request));
    // Absolute-form target and lower-case method on the verifier's side: same canonical request.
    Request same = request;
    same.method = "put";
    same.target = "https://api.example/v1/items/42?dry_run=1";
    EXPECT_OK(f.verify(sign_request(f.key.get(), "n2", request), same));
}

TEST(CapiBinding, TamperedPartsAreRefusedWithTheirOwnStatus) {
    Fixture f;
    const std::string token = sign_request(f.key.get(), "n1", Request{});
    Request tampered;
    tampered.method = "DELETE";
    EXPECT_STATUS(AJWT_ERR_BINDING_METHOD, f.verify(token, tampered));
    tampered = Request{};
    tampered.target = "/v1/items/43?dry_run=1";
    EXPECT_STATUS(AJWT_ERR_BINDING_TARGET, f.verify(token, tampered));
    tampered.target = "/v1/items/42?dry_run=0";
    EXPECT_STATUS(AJWT_ERR_BINDING_TARGET, f.verify(token, tampered));
    tampered.target = "/v1/items/42";
    EXPECT_STATUS(AJWT_ERR_BINDING_TARGET, f.verify(token, tampered));
    tampered = Request{};
    tampered.body = R"({"name":"y"})";
    EXPECT_STATUS(AJWT_ERR_BINDING_BODY, f.verify(token, tampered));
    tampered = Request{};
    tampered.body_known = false;
    EXPECT_STATUS(AJWT_ERR_BINDING_BODY, f.verify(token, tampered));

    Fixture other_service(AJWT_BINDING_WHEN_PRESENT, "billing");
    const std::string for_inventory = sign_request(other_service.key.get(), "n1", Request{});
    Err err;
    EXPECT_STATUS(AJWT_ERR_BINDING_AUDIENCE, other_service.verify(for_inventory, Request{}, err.get()));
    EXPECT_EQ(err.e.status, AJWT_ERR_BINDING_AUDIENCE);
    EXPECT_NE(err.message().find("inventory"), std::string::npos) << err.message();
}

TEST(CapiBinding, RequiredRefusesAPlainTokenAndOffIgnoresBinding) {
    Fixture required;
    EXPECT_STATUS(AJWT_ERR_BINDING_REQUIRED, required.verify(sign(required.key.get(), "alice", kNow, "n1"), Request{}));
    EXPECT_STATUS(AJWT_ERR_BINDING_REQUIRED,
                  required.verify(sign_request(required.key.get(), "n2", Request{}, nullptr), Request{}));

    // Off (the default, as asymmetric-jwt-auth 1.x): bound claims are not looked at.
    Fixture off(AJWT_BINDING_OFF, nullptr);
    Request tampered;
    tampered.method = "GET";
    tampered.target = "/admin";
    tampered.body_known = false;
    EXPECT_OK(off.verify(sign_request(off.key.get(), "n3", Request{}), tampered));
    EXPECT_OK(parse_and_verify(off.verifier.get(), sign_request(off.key.get(), "n4", Request{}), off.pub.get(), kNow));
    // A plain ajwt_verify knows no request: under a policy, a bound token is refused there.
    EXPECT_STATUS(AJWT_ERR_BINDING_METHOD,
                  parse_and_verify(required.verifier.get(), sign_request(required.key.get(), "n5", Request{}),
                                   required.pub.get(), kNow));
}

TEST(CapiBinding, CheckRequestBindingAlone) {
    Fixture f(AJWT_BINDING_WHEN_PRESENT);
    const std::string token = sign_request(f.key.get(), "n1", Request{});
    ajwt_token* parsed = nullptr;
    ASSERT_OK(ajwt_verifier_parse(f.verifier.get(), token.data(), token.size(), &parsed, nullptr));
    Token owner(parsed);
    const Digest digest = digest_of(Request{}.body);
    EXPECT_OK(ajwt_check_request_binding(f.verifier.get(), parsed, "PUT", 3, "/v1/items/42?dry_run=1", 22,
                                         digest.data(), nullptr));
    EXPECT_STATUS(AJWT_ERR_BINDING_METHOD,
                  ajwt_check_request_binding(f.verifier.get(), parsed, "GET", 3, "/v1/items/42?dry_run=1", 22,
                                             digest.data(), nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_check_request_binding(f.verifier.get(), parsed, nullptr, 3, nullptr, 0, nullptr, nullptr));
}

TEST(CapiBinding, AuthenticateRequest) {
    Fixture f(AJWT_BINDING_REQUIRED);
    const std::string pem = export_key(f.pub.get(), AJWT_EXPORT_PUBLIC_PEM);
    struct Host {
        std::string pem;
        static ajwt_status keys(void* self, const char*, size_t, const char*, size_t, ajwt_keyset* out) {
            const std::string& text = static_cast<Host*>(self)->pem;
            return ajwt_keyset_add_text(out, text.data(), text.size(), AJWT_FORMAT_PEM, nullptr);
        }
    } host{pem};
    Store store = new_memory_store();
    ASSERT_OK(ajwt_verifier_set_nonce_store(f.verifier.get(), store.get(), nullptr));
    ajwt_authenticator* raw = nullptr;
    ASSERT_OK(ajwt_authenticator_new(f.verifier.get(), &raw, nullptr));
    Auth auth(raw);
    ASSERT_OK(ajwt_authenticator_set_user_keys(raw, &Host::keys, &host, nullptr));

    const std::string header = "JWT " + sign_request(f.key.get(), "n1", Request{});
    const Digest good = digest_of(Request{}.body), bad = digest_of("other");
    auto run = [&](const char* method, const char* target, const Digest* digest) {
        return ajwt_authenticate_request(raw, header.data(), header.size(), kNow, method,
                                         method ? std::strlen(method) : 0, target, target ? std::strlen(target) : 0,
                                         digest ? digest->data() : nullptr, nullptr, nullptr, nullptr);
    };
    EXPECT_STATUS(AJWT_ERR_BINDING_METHOD, run("POST", "/v1/items/42?dry_run=1", &good));
    EXPECT_STATUS(AJWT_ERR_BINDING_TARGET, run("PUT", "/v1/items/42?dry_run=2", &good));
    EXPECT_STATUS(AJWT_ERR_BINDING_BODY, run("PUT", "/v1/items/42?dry_run=1", &bad));
    EXPECT_STATUS(AJWT_ERR_BINDING_METHOD, run(nullptr, nullptr, nullptr));
    EXPECT_EQ(ajwt_nonce_store_size(store.get()), 0u);  // refusals spent no nonce
    EXPECT_OK(run("PUT", "/v1/items/42?dry_run=1", &good));
    EXPECT_STATUS(AJWT_ERR_NONCE_REPLAYED, run("PUT", "/v1/items/42?dry_run=1", &good));
    // Plain ajwt_authenticate knows no request.
    const std::string second = "JWT " + sign_request(f.key.get(), "n2", Request{});
    EXPECT_STATUS(AJWT_ERR_BINDING_METHOD,
                  ajwt_authenticate(raw, second.data(), second.size(), kNow, nullptr, nullptr, nullptr));
}

TEST(CapiBinding, ArgumentsAndStatusTexts) {
    Key key = generate(AJWT_KEY_ED25519);
    std::string token;
    Request bad_method;
    bad_method.method = "GE T";
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, sign_request(key.get(), "n", bad_method, nullptr, &token));
    Request bad_target;
    bad_target.target = "items";
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, sign_request(key.get(), "n", bad_target, nullptr, &token));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, sign_request(key.get(), "n", Request{}, "", &token));

    Verifier verifier = new_verifier();
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT,
                  ajwt_verifier_set_binding(verifier.get(), static_cast<ajwt_binding_policy>(7), nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_set_audience(verifier.get(), nullptr, 3, nullptr));
    EXPECT_OK(ajwt_verifier_set_audience(verifier.get(), nullptr, 0, nullptr));

    char* out = nullptr;
    size_t len = 0;
    ASSERT_OK(ajwt_request_target_normalize("http://h/a%7e?b=%7e", 19, &out, &len, nullptr));
    Bytes owner(out);
    EXPECT_EQ(std::string(out, len), "/a~?b=~");
    EXPECT_EQ(ajwt_body_digest_size(), 32u);

    for (int status = AJWT_ERR_BINDING_METHOD; status <= AJWT_ERR_BINDING_REQUIRED; ++status)
        EXPECT_STRNE(ajwt_status_str(static_cast<ajwt_status>(status)), "unknown status") << status;
    EXPECT_STREQ(ajwt_status_str(static_cast<ajwt_status>(85)), "unknown status");
}

// The shared vectors (tests/vectors/binding), which every binding's runner checks too.
TEST(CapiBinding, SharedVectors) {
    const nlohmann::json vectors = nlohmann::json::parse(ajwt_test::read_vector_file("binding/request-binding.json"));
    const Key key = load_public(vectors["public_key"].get<std::string>());
    const double now = vectors["now"].get<double>();
    ASSERT_GE(vectors["cases"].size(), 20u);
    for (const auto& c : vectors["cases"]) {
        Verifier verifier = new_verifier();
        const std::string policy = c["policy"].get<std::string>();
        const ajwt_binding_policy value = policy == "off"            ? AJWT_BINDING_OFF
                                          : policy == "when-present" ? AJWT_BINDING_WHEN_PRESENT
                                                                     : AJWT_BINDING_REQUIRED;
        ASSERT_OK(ajwt_verifier_set_binding(verifier.get(), value, nullptr));
        if (!c["audience"].is_null()) {
            const std::string audience = c["audience"].get<std::string>();
            ASSERT_OK(ajwt_verifier_set_audience(verifier.get(), audience.data(), audience.size(), nullptr));
        }
        const auto& request = c["request"];
        const auto text = [&](const char* name) {
            return request[name].is_null() ? std::optional<std::string>() : request[name].get<std::string>();
        };
        const auto method = text("method"), target = text("target"), body = text("body");
        const std::optional<Digest> digest = body ? std::optional<Digest>(digest_of(*body)) : std::nullopt;
        const std::string token = c["token"].get<std::string>();
        ajwt_token* parsed = nullptr;
        ASSERT_OK(ajwt_verifier_parse(verifier.get(), token.data(), token.size(), &parsed, nullptr)) << c["name"];
        Token owner(parsed);
        EXPECT_STATUS(static_cast<ajwt_status>(c["status"].get<int>()),
                      ajwt_verify_request(verifier.get(), parsed, key.get(), now, method ? method->data() : nullptr,
                                          method ? method->size() : 0, target ? target->data() : nullptr,
                                          target ? target->size() : 0, digest ? digest->data() : nullptr, nullptr))
            << c["name"];
    }
}
