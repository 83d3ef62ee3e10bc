// What the JWKS cache adds to a request through the C ABI, in one run: a fresh-hit
// ajwt_jwks_cache_lookup (async hosts) and ajwt_jwks_cache_keys (sync hosts) of one kid in a
// 10-key set, against the baseline of finding that kid in an already parsed ajwt_keyset, and
// an Ed25519 verification for scale. Also 2 threads on one cache (one lock per cache).
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJWT_BUILD_BENCH=ON
//   ninja -C build-bench ajwt_bench_jwks_cache && build-bench/bench/ajwt_bench_jwks_cache
#include <benchmark/benchmark.h>

#include <ajwt.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr int64_t kNow = 1700000000;
const std::string kUrl = "https://issuer.example/.well-known/jwks.json";

void check(ajwt_status status, const char* what) {
    if (status != AJWT_OK) {
        std::fprintf(stderr, "%s: %s\n", what, ajwt_status_str(status));
        std::exit(1);
    }
}

// Ten Ed25519 keys, the JWKS document publishing them, and the kid of the last.
struct Fixture {
    std::vector<ajwt_key*> keys;
    std::string jwks;
    std::string kid;
    ajwt_keyset* parsed = nullptr;
    ajwt_jwks_cache* cache = nullptr;

    Fixture() {
        ajwt_keyset* set = nullptr;
        check(ajwt_keyset_new(&set, nullptr), "keyset");
        for (int i = 0; i < 10; ++i) {
            ajwt_key* key = nullptr;
            check(ajwt_key_generate(AJWT_KEY_ED25519, 0, 0, &key, nullptr), "generate");
            ajwt_key* pub = nullptr;
            check(ajwt_key_public(key, &pub, nullptr), "public");
            check(ajwt_keyset_add(set, pub, nullptr), "add");
            ajwt_key_free(pub);
            keys.push_back(key);
        }
        char* text = nullptr;
        size_t len = 0;
        check(ajwt_keyset_to_jwks(set, &text, &len, nullptr), "to_jwks");
        jwks.assign(text, len);
        ajwt_free(text);
        ajwt_keyset_free(set);
        char fingerprint[AJWT_FINGERPRINT_SIZE];
        check(ajwt_key_fingerprint(keys.back(), fingerprint, nullptr), "fingerprint");
        kid = fingerprint;
        check(ajwt_keyset_parse_jwks(jwks.data(), jwks.size(), &parsed, nullptr), "parse");
        check(ajwt_jwks_cache_new(&cache, nullptr), "cache");
        check(ajwt_jwks_cache_set_http_get(cache, &Fixture::never_called, nullptr, nullptr, nullptr), "http_get");
        check(ajwt_jwks_cache_store(cache, kUrl.data(), kUrl.size(), 200, jwks.data(), jwks.size(), kNow, nullptr),
              "store");
    }

    static ajwt_status never_called(void*, const char*, size_t, uint32_t, size_t, ajwt_http_response*) {
        std::fprintf(stderr, "a fresh cache fetched\n");
        std::exit(1);
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

void BM_KeysetFind(benchmark::State& state) {
    Fixture& f = fixture();
    for (auto _ : state) benchmark::DoNotOptimize(ajwt_keyset_find(f.parsed, f.kid.data(), f.kid.size()));
}

void BM_JwksCacheLookupFresh(benchmark::State& state) {
    Fixture& f = fixture();
    for (auto _ : state) {
        ajwt_keyset* out = nullptr;
        check(ajwt_keyset_new(&out, nullptr), "keyset");
        ajwt_jwks_action action = AJWT_JWKS_NONE;
        check(ajwt_jwks_cache_lookup(f.cache, kUrl.data(), kUrl.size(), f.kid.data(), f.kid.size(), kNow + 1, out,
                                     &action, nullptr),
              "lookup");
        if (action != AJWT_JWKS_NONE || ajwt_keyset_count(out) != 1) std::exit(1);
        ajwt_keyset_free(out);
    }
}

void BM_JwksCacheKeysFresh(benchmark::State& state) {
    Fixture& f = fixture();
    for (auto _ : state) {
        ajwt_keyset* out = nullptr;
        check(ajwt_keyset_new(&out, nullptr), "keyset");
        check(
            ajwt_jwks_cache_keys(f.cache, kUrl.data(), kUrl.size(), f.kid.data(), f.kid.size(), kNow + 1, out, nullptr),
            "keys");
        if (ajwt_keyset_count(out) != 1) std::exit(1);
        ajwt_keyset_free(out);
    }
}

void BM_VerifyEd25519(benchmark::State& state) {
    Fixture& f = fixture();
    char* token = nullptr;
    size_t len = 0;
    check(ajwt_sign(f.keys.back(), "alice", 1, kNow, "n", 1, AJWT_ALG_UNKNOWN, &token, &len, nullptr), "sign");
    ajwt_verifier* verifier = nullptr;
    check(ajwt_verifier_new(&verifier, nullptr), "verifier");
    ajwt_token* parsed = nullptr;
    check(ajwt_verifier_parse(verifier, token, len, &parsed, nullptr), "parse");
    for (auto _ : state) check(ajwt_verify_keyset(verifier, parsed, f.parsed, kNow, nullptr, nullptr), "verify");
    ajwt_token_free(parsed);
    ajwt_verifier_free(verifier);
    ajwt_free(token);
}

}  // namespace

BENCHMARK(BM_KeysetFind);
BENCHMARK(BM_JwksCacheLookupFresh);
BENCHMARK(BM_JwksCacheLookupFresh)->Threads(2);
BENCHMARK(BM_JwksCacheKeysFresh);
BENCHMARK(BM_VerifyEd25519);
BENCHMARK_MAIN();
