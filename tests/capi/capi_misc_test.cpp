// Version, status text, algorithm names, defaults, memory, clock, error struct.
#include <chrono>
#include <cstring>
#include <set>
#include <string>

#include "capi_support.hpp"

using namespace capi_test;

namespace {

const ajwt_status kAllStatuses[] = {AJWT_OK,
                                    AJWT_ERR_INVALID_ARGUMENT,
                                    AJWT_ERR_OUT_OF_MEMORY,
                                    AJWT_ERR_INTERNAL,
                                    AJWT_ERR_CALLBACK_FAILED,
                                    AJWT_ERR_KEY_PARSE,
                                    AJWT_ERR_KEY_UNSUPPORTED,
                                    AJWT_ERR_KEY_TOO_SMALL,
                                    AJWT_ERR_KEY_TOO_LARGE,
                                    AJWT_ERR_PASSWORD_REQUIRED,
                                    AJWT_ERR_WRONG_PASSWORD,
                                    AJWT_ERR_ENCRYPTED_OPENSSH_KEY,
                                    AJWT_ERR_NOT_PRIVATE_KEY,
                                    AJWT_ERR_PRIVATE_KEY_GIVEN,
                                    AJWT_ERR_JWKS_PARSE,
                                    AJWT_ERR_JWKS_FETCH,
                                    AJWT_ERR_TOKEN_TOO_LARGE,
                                    AJWT_ERR_TOKEN_FORMAT,
                                    AJWT_ERR_TOKEN_BASE64,
                                    AJWT_ERR_TOKEN_JSON,
                                    AJWT_ERR_TOKEN_HEADER,
                                    AJWT_ERR_TOKEN_CLAIMS,
                                    AJWT_ERR_TOKEN_TIME,
                                    AJWT_ERR_ALGORITHM_NOT_ALLOWED,
                                    AJWT_ERR_BAD_SIGNATURE,
                                    AJWT_ERR_TOKEN_EXPIRED,
                                    AJWT_ERR_TOKEN_FROM_FUTURE,
                                    AJWT_ERR_NONCE_REPLAYED,
                                    AJWT_ERR_NONCE_STORE_FULL,
                                    AJWT_ERR_NO_AUTH_HEADER,
                                    AJWT_ERR_WRONG_AUTH_METHOD,
                                    AJWT_ERR_UNKNOWN_USER,
                                    AJWT_ERR_NO_MATCHING_KEY,
                                    AJWT_ERR_TOKEN_EXP_PASSED,
                                    AJWT_ERR_TOKEN_NOT_YET_VALID,
                                    AJWT_ERR_TOKEN_IAT_FUTURE,
                                    AJWT_ERR_TOKEN_AUDIENCE,
                                    AJWT_ERR_TOKEN_REGISTERED_CLAIM,
                                    AJWT_ERR_BINDING_METHOD,
                                    AJWT_ERR_BINDING_TARGET,
                                    AJWT_ERR_BINDING_BODY,
                                    AJWT_ERR_BINDING_AUDIENCE,
                                    AJWT_ERR_BINDING_REQUIRED};

}  // namespace

TEST(CapiMisc, VersionMatchesHeader) {
    EXPECT_STREQ(ajwt_version(), AJWT_VERSION_STRING);
    EXPECT_EQ(ajwt_version_number(), static_cast<unsigned>(AJWT_VERSION_NUMBER));
    std::string expected = std::to_string(AJWT_VERSION_MAJOR) + "." + std::to_string(AJWT_VERSION_MINOR) + "." +
                           std::to_string(AJWT_VERSION_PATCH);
    EXPECT_EQ(expected, ajwt_version());
}

TEST(CapiMisc, EveryStatusHasItsOwnStaticText) {
    std::set<std::string> seen;
    // Values that are no status but within the enum's range (0..127); C callers can pass any
    // int, which tests/c/c_program.c covers (C++ cannot even hold such an enum value).
    const char* unknown = ajwt_status_str(static_cast<ajwt_status>(59));
    ASSERT_NE(unknown, nullptr);
    EXPECT_STREQ(unknown, "unknown status");
    for (ajwt_status status : kAllStatuses) {
        const char* text = ajwt_status_str(status);
        ASSERT_NE(text, nullptr) << static_cast<int>(status);
        EXPECT_GT(std::strlen(text), 1u);
        EXPECT_STRNE(text, unknown) << static_cast<int>(status);
        EXPECT_TRUE(seen.insert(text).second) << "duplicate text: " << text;
        EXPECT_EQ(text, ajwt_status_str(status)) << "static storage";
    }
    EXPECT_STREQ(ajwt_status_str(static_cast<ajwt_status>(54)), "unknown status");
    EXPECT_STREQ(ajwt_status_str(static_cast<ajwt_status>(5)), "unknown status");
}

TEST(CapiMisc, StableStatusValues) {
    EXPECT_EQ(AJWT_OK, 0);
    EXPECT_EQ(AJWT_ERR_KEY_PARSE, 10);
    EXPECT_EQ(AJWT_ERR_TOKEN_TOO_LARGE, 30);
    EXPECT_EQ(AJWT_ERR_ALGORITHM_NOT_ALLOWED, 40);
    EXPECT_EQ(AJWT_ERR_NO_MATCHING_KEY, 53);
}

TEST(CapiMisc, AlgorithmNamesRoundTrip) {
    const std::pair<ajwt_alg, const char*> names[] = {
        {AJWT_ALG_RS256, "RS256"}, {AJWT_ALG_RS384, "RS384"}, {AJWT_ALG_RS512, "RS512"}, {AJWT_ALG_PS256, "PS256"},
        {AJWT_ALG_PS384, "PS384"}, {AJWT_ALG_PS512, "PS512"}, {AJWT_ALG_ES256, "ES256"}, {AJWT_ALG_ES384, "ES384"},
        {AJWT_ALG_ES512, "ES512"}, {AJWT_ALG_EDDSA, "EdDSA"}};
    for (const auto& [alg, name] : names) {
        ASSERT_NE(ajwt_alg_name(alg), nullptr);
        EXPECT_STREQ(ajwt_alg_name(alg), name);
        EXPECT_EQ(ajwt_alg_from_name(name, std::strlen(name)), alg);
    }
    EXPECT_EQ(ajwt_alg_name(AJWT_ALG_UNKNOWN), nullptr);
    EXPECT_EQ(ajwt_alg_name(static_cast<ajwt_alg>(11)), nullptr);
    EXPECT_EQ(ajwt_alg_name(static_cast<ajwt_alg>(15)), nullptr);
}

TEST(CapiMisc, AlgorithmFromNameIsExact) {
    for (const char* name : {"none", "HS256", "HS512", "rs256", "eddsa", "EDDSA", "RS256 ", "", "RS2560", "ES256K"})
        EXPECT_EQ(ajwt_alg_from_name(name, std::strlen(name)), AJWT_ALG_UNKNOWN) << name;
    EXPECT_EQ(ajwt_alg_from_name(nullptr, 5), AJWT_ALG_UNKNOWN);
    // Length, not NUL termination, delimits the name.
    EXPECT_EQ(ajwt_alg_from_name("RS256xyz", 5), AJWT_ALG_RS256);
    EXPECT_EQ(ajwt_alg_from_name("RS256\0", 6), AJWT_ALG_UNKNOWN);
}

TEST(CapiMisc, DefaultsTwins) {
    EXPECT_EQ(ajwt_error_message_size(), static_cast<size_t>(AJWT_ERROR_MESSAGE_SIZE));
    EXPECT_EQ(ajwt_error_message_size(), sizeof(ajwt_error{}.message));
    EXPECT_EQ(ajwt_fingerprint_size(), static_cast<size_t>(AJWT_FINGERPRINT_SIZE));
    EXPECT_EQ(ajwt_fingerprint_size(), 65u);
    EXPECT_EQ(ajwt_default_max_token_size(), static_cast<size_t>(AJWT_DEFAULT_MAX_TOKEN_SIZE));
    EXPECT_EQ(ajwt_default_max_token_size(), 8192u);
    EXPECT_EQ(ajwt_default_tolerance(), AJWT_DEFAULT_TOLERANCE);
    EXPECT_EQ(ajwt_default_tolerance(), 20);
}

TEST(CapiMisc, NowIsTheSystemClock) {
    int64_t before =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    int64_t now = ajwt_now();
    int64_t after =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_GE(now, before);
    EXPECT_LE(now, after);
    EXPECT_GT(now, 1600000000);
}

TEST(CapiMisc, FreeAcceptsNullForEveryHandle) {
    ajwt_free(nullptr);
    ajwt_key_free(nullptr);
    ajwt_keyset_free(nullptr);
    ajwt_token_free(nullptr);
    ajwt_nonce_store_free(nullptr);
    ajwt_verifier_free(nullptr);
    ajwt_authenticator_free(nullptr);
    SUCCEED();
}

TEST(CapiMisc, ErrorStructIsFilledAndTerminated) {
    Err err;
    ajwt_key* key = reinterpret_cast<ajwt_key*>(0x1);  // must be cleared on failure
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, ajwt_key_load_public("garbage", 7, AJWT_FORMAT_ANY, &key, err.get()));
    EXPECT_EQ(key, nullptr);
    EXPECT_EQ(err.e.status, AJWT_ERR_KEY_PARSE);
    size_t length = strnlen(err.e.message, sizeof err.e.message);
    EXPECT_LT(length, sizeof err.e.message) << "message not NUL-terminated";
    EXPECT_GT(length, 0u);
}

TEST(CapiMisc, ErrorStructIsResetOnSuccess) {
    Err err;
    ajwt_verifier* verifier = nullptr;
    ASSERT_OK(ajwt_verifier_new(&verifier, err.get()));
    Verifier owner(verifier);
    EXPECT_EQ(err.e.status, AJWT_OK);
    EXPECT_EQ(err.e.message[0], '\0');
}

TEST(CapiMisc, NullErrorPointerIsFine) {
    ajwt_key* key = nullptr;
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, ajwt_key_load_public("garbage", 7, AJWT_FORMAT_ANY, &key, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_load_public("garbage", 7, AJWT_FORMAT_ANY, nullptr, nullptr));
}

TEST(CapiMisc, InvalidArgumentsGiveAMessage) {
    Err err;
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_verifier_new(nullptr, err.get()));
    EXPECT_EQ(err.e.status, AJWT_ERR_INVALID_ARGUMENT);
    EXPECT_NE(err.message().find("NULL"), std::string::npos) << err.message();
}

TEST(CapiMisc, LongMessagesAreTruncatedAndTerminated) {
    // The refused PEM label is quoted in the message, so it is longer than the struct holds.
    const std::string label(600, 'Y');
    const std::string text = "-----BEGIN " + label + "-----\nAAAA\n-----END " + label + "-----\n";
    Err err;
    ajwt_key* key = nullptr;
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, ajwt_key_load_public(text.data(), text.size(), AJWT_FORMAT_ANY, &key, err.get()));
    EXPECT_EQ(strnlen(err.e.message, sizeof err.e.message), sizeof err.e.message - 1)
        << "expected a truncated, NUL-terminated message: " << err.message();
    EXPECT_EQ(err.e.message[sizeof err.e.message - 1], '\0');
}

TEST(CapiMisc, GeneratedNoncesLookLikeUpstreamsAndDiffer) {
    EXPECT_EQ(ajwt_nonce_size(), static_cast<size_t>(AJWT_NONCE_SIZE));
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        char nonce[AJWT_NONCE_SIZE];
        ASSERT_OK(ajwt_generate_nonce(nonce, nullptr));
        const std::string text(nonce);
        ASSERT_EQ(text.size(), 11u) << text;  // 8 bytes, base64url without padding
        EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos)
            << text;
        seen.insert(text);
    }
    EXPECT_EQ(seen.size(), 200u);
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_generate_nonce(nullptr, nullptr));
}

TEST(CapiMisc, NullWithZeroLengthIsTheEmptyInput) {
    ajwt_key* key = nullptr;
    EXPECT_STATUS(AJWT_ERR_KEY_PARSE, ajwt_key_load_public(nullptr, 0, AJWT_FORMAT_ANY, &key, nullptr));
    EXPECT_STATUS(AJWT_ERR_INVALID_ARGUMENT, ajwt_key_load_public(nullptr, 4, AJWT_FORMAT_ANY, &key, nullptr));
    ajwt_token* token = nullptr;
    EXPECT_STATUS(AJWT_ERR_TOKEN_FORMAT, ajwt_token_parse(nullptr, 0, 0, &token, nullptr));
    EXPECT_EQ(token, nullptr);
}
