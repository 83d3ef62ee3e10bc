// Replays every input under tests/fuzz/regressions/<target>/ through the fuzz target's own code
// (compiled here without libFuzzer), so each crash the fuzzers ever found stays fixed in the
// normal test suite, under the sanitizers of the build and without clang.
#define AJWT_FUZZ_REPLAY 1

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../fuzz/fuzz_authenticator.cpp"
#include "../fuzz/fuzz_jwks.cpp"
#include "../fuzz/fuzz_private_key.cpp"
#include "../fuzz/fuzz_public_key.cpp"
#include "../fuzz/fuzz_request_binding.cpp"
#include "../fuzz/fuzz_token_parse.cpp"
#include "../fuzz/fuzz_verify.cpp"

namespace {

namespace fs = std::filesystem;
using Target = int (*)(const uint8_t*, size_t);

struct Replay {
    const char* name;
    Target target;
};

const fs::path kRegressions = fs::path(AJWT_VECTORS_DIR) / ".." / "fuzz" / "regressions";

class FuzzRegressions : public ::testing::TestWithParam<Replay> {};

TEST_P(FuzzRegressions, EveryRecordedInputPasses) {
    const Replay replay = GetParam();
    const fs::path dir = kRegressions / replay.name;
    size_t replayed = 0;
    if (fs::is_directory(dir)) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
            std::ifstream in(entry.path(), std::ios::binary);
            std::ostringstream bytes;
            bytes << in.rdbuf();
            const std::string input = bytes.str();
            try {
                replay.target(reinterpret_cast<const uint8_t*>(input.data()), input.size());
            } catch (const std::exception& e) {
                ADD_FAILURE() << entry.path() << ": " << e.what();
            }
            ++replayed;
        }
    }
    std::printf("[ fuzz regressions ] %s: %zu inputs replayed\n", replay.name, replayed);
    // The empty input and a few bytes of noise: every target's cheapest paths.
    for (const std::string& input : {std::string(), std::string("\0\xff.", 3), std::string("JWT a.b.c")}) {
        try {
            replay.target(reinterpret_cast<const uint8_t*>(input.data()), input.size());
        } catch (const std::exception& e) {
            ADD_FAILURE() << "built-in input: " << e.what();
        }
    }
}

// The private-key target retries an encrypted key with the seeds' password; its encrypted
// OpenSSH seeds must decrypt that way, so mutations of them reach the bcrypt_pbkdf and cipher
// code. Single-character changes spread over the seeds run through the target here as well
// (every byte of such a file is flipped in tests/core/test_openssh.cpp).
TEST(FuzzSeeds, EncryptedOpenSshSeedsReachDecryption) {
    for (const std::string seed : {fuzz_keys::kOpensshEncryptedPrivate, fuzz_keys::kOpensshEncryptedGcmPrivate,
                                   fuzz_keys::kOpensshEncryptedChachaPrivate}) {
        ajwt_key* key = nullptr;
        EXPECT_EQ(ajwt_key_load_private(seed.data(), seed.size(), nullptr, 0, &key, nullptr),
                  AJWT_ERR_PASSWORD_REQUIRED);
        EXPECT_EQ(ajwt_key_load_private(seed.data(), seed.size(), "password", 8, &key, nullptr), AJWT_OK);
        ajwt_key_free(key);
        const size_t body = seed.find('\n') + 1, end = seed.find("-----END");
        for (size_t i = body; i < end; i += 5) {
            if (seed[i] == '\n') continue;
            std::string mutated = seed;
            mutated[i] = mutated[i] == 'A' ? 'B' : 'A';
            try {
                fuzz_private_key_input(reinterpret_cast<const uint8_t*>(mutated.data()), mutated.size());
            } catch (const std::exception& e) {
                ADD_FAILURE() << "byte " << i << ": " << e.what();
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzRegressions,
                         ::testing::Values(Replay{"fuzz_token_parse", fuzz_token_parse_input},
                                           Replay{"fuzz_verify", fuzz_verify_input},
                                           Replay{"fuzz_public_key", fuzz_public_key_input},
                                           Replay{"fuzz_private_key", fuzz_private_key_input},
                                           Replay{"fuzz_jwks", fuzz_jwks_input},
                                           Replay{"fuzz_request_binding", fuzz_request_binding_input},
                                           Replay{"fuzz_authenticator", fuzz_authenticator_input}),
                         [](const ::testing::TestParamInfo<Replay>& info) { return std::string(info.param.name); });

}  // namespace
