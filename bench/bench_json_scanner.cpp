// What the flat JSON scanner (strict_json.cpp) saves on a full token verification.
//
// A verification reads two small JSON objects, the JWS header and the claims. The token path
// reads them with parse_json_members, which scans a flat object directly instead of building
// an nlohmann DOM. In one run, in alternating blocks so machine noise hits all alike:
//   verify   = Verifier::parse + Verifier::verify (key set of one, memory nonce store, a fresh
//              nonce each time): the real hot path, with the scanner;
//   scan     = parse_json_members on that token's header and payload (what verify spends in
//              JSON with the scanner);
//   dom      = json_object_members(parse_json_object(...)) on the same two texts (what it would
//              spend without the scanner).
// Verification without the scanner is verify - scan + dom. The program prints the median
// nanoseconds of each, that estimate, and the saving. Run by hand (Release build):
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJWT_BUILD_BENCH=ON
//   ninja -C build-bench ajwt_bench_json_scanner && build-bench/bench/ajwt_bench_json_scanner
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base64url.hpp"
#include "key_io.hpp"
#include "keyset.hpp"
#include "nonce_store.hpp"
#include "strict_json.hpp"
#include "token.hpp"
#include "verifier.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kBlocks = 41;
constexpr int kPerBlock = 2000;
constexpr int64_t kNow = 1700000000;

// Same limits as token.cpp's header and payload.
constexpr ajwt::JsonLimits kHeaderLimits{8 * 1024, 4};
constexpr ajwt::JsonLimits kPayloadLimits{64 * 1024, 8};

template <typename Body>
double block_ns(Body&& body) {
    const auto start = Clock::now();
    for (int i = 0; i < kPerBlock; ++i) body(i);
    const auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    return elapsed / kPerBlock;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

std::string part(const std::string& token, int index) {
    size_t begin = 0;
    for (int i = 0; i < index; ++i) begin = token.find('.', begin) + 1;
    const size_t end = token.find('.', begin);
    return *ajwt::base64url_decode(token.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
}

void run(ajwt_key_type type, const char* name) {
    const ajwt::KeyPtr key = ajwt::generate_key(type, 0, 0);
    ajwt::KeySet keys;
    keys.add(key->public_key(key));
    ajwt::Verifier verifier;
    verifier.set_nonce_store(ajwt::make_memory_nonce_store(0, static_cast<size_t>(kBlocks) * kPerBlock));

    // Fresh nonces for every verification of the run, signed before timing.
    std::vector<std::string> tokens;
    tokens.reserve(static_cast<size_t>(kBlocks) * kPerBlock);
    for (int i = 0; i < kBlocks * kPerBlock; ++i)
        tokens.push_back(ajwt::sign_token(*key, {"guido", kNow, "nonce-" + std::to_string(i)}, AJWT_ALG_UNKNOWN));
    const std::string header = part(tokens[0], 0);
    const std::string payload = part(tokens[0], 1);

    size_t sink = 0;
    std::vector<double> verify, scan, dom;
    for (int block = 0; block < kBlocks; ++block) {
        verify.push_back(block_ns([&](int i) {
            const ajwt::ParsedToken parsed = verifier.parse(tokens[static_cast<size_t>(block) * kPerBlock + i]);
            sink += verifier.verify(parsed, keys, kNow).get() != nullptr;
        }));
        scan.push_back(block_ns([&](int) {
            sink += ajwt::parse_json_members(header, kHeaderLimits, AJWT_ERR_TOKEN_JSON, "header").size();
            sink += ajwt::parse_json_members(payload, kPayloadLimits, AJWT_ERR_TOKEN_JSON, "payload").size();
        }));
        dom.push_back(block_ns([&](int) {
            sink += ajwt::json_object_members(
                        ajwt::parse_json_object(header, kHeaderLimits, AJWT_ERR_TOKEN_JSON, "header"))
                        .size();
            sink += ajwt::json_object_members(
                        ajwt::parse_json_object(payload, kPayloadLimits, AJWT_ERR_TOKEN_JSON, "payload"))
                        .size();
        }));
    }
    const double v = median(verify), s = median(scan), d = median(dom);
    const double without = v - s + d;
    std::printf("%-8s verify %8.0f ns | JSON: scanner %6.0f ns, DOM %6.0f ns | verify without scanner %8.0f ns | "
                "ratio %.3f (saves %.1f %%)\n",
                name, v, s, d, without, v / without, 100.0 * (without - v) / without);
    if (sink == 0) std::printf("(unreachable)\n");
}

}  // namespace

int main() {
    std::printf("median of %d blocks of %d; header %s\n", kBlocks, kPerBlock, "{alg,kid,typ}, claims {nonce,time,username}");
    run(AJWT_KEY_ED25519, "EdDSA");
    run(AJWT_KEY_EC_P256, "ES256");
    run(AJWT_KEY_RSA, "RS512");
    return 0;
}
