// Equal time for unknown users through the C ABI: ajwt_authenticate on a token claiming a user
// that does not exist (the authenticator checks it against a decoy key) against a token for a
// real user with a bad signature (checked against the user's one key), in alternating blocks
// within one run; this thread's CPU time. Counters: unknown_us, bad_signature_us, ratio
// (unknown / bad signature; target 0.9..1.1).
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJWT_BUILD_BENCH=ON
//   ninja -C build-bench ajwt_bench_unknown_user && build-bench/bench/ajwt_bench_unknown_user
#include <benchmark/benchmark.h>

#include <ajwt.h>

#include "capi_bench_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>

namespace {

constexpr int64_t kNow = 1700000000;

struct Case {
    const char* name;
    ajwt_key_type type;
    ajwt_alg alg;
};

using bench_support::check;
using bench_support::generate;

std::string sign(const ajwt_key* key, const char* username, ajwt_alg alg) {
    return bench_support::sign_header(key, username, kNow, alg);
}

// One real user, "alice", with one registered public key.
struct Fixture {
    ajwt_key* user_key = nullptr;
    ajwt_authenticator* auth = nullptr;
    std::string unknown_user, bad_signature;

    explicit Fixture(const Case& c) {
        ajwt_key* user_private = generate(c.type);
        check(ajwt_key_public(user_private, &user_key, nullptr), "public");
        ajwt_key_free(user_private);
        ajwt_key* attacker = generate(c.type);
        ajwt_verifier* verifier = nullptr;
        check(ajwt_verifier_new(&verifier, nullptr), "verifier");
        check(ajwt_authenticator_new(verifier, &auth, nullptr), "authenticator");
        ajwt_verifier_free(verifier);
        check(ajwt_authenticator_set_user_exists(auth, &user_exists, nullptr, nullptr), "user_exists");
        check(ajwt_authenticator_set_user_keys(auth, &user_keys, user_key, nullptr), "user_keys");
        unknown_user = sign(attacker, "mallory", c.alg);
        bad_signature = sign(attacker, "alice", c.alg);
        ajwt_key_free(attacker);
        // The first unknown user of an algorithm generates its decoy key: outside the timing.
        authenticate(unknown_user);
    }
    ~Fixture() {
        ajwt_authenticator_free(auth);
        ajwt_key_free(user_key);
    }

    static ajwt_status user_exists(void*, const char* username, size_t len) {
        return std::string_view(username, len) == "alice" ? AJWT_OK : AJWT_ERR_UNKNOWN_USER;
    }
    static ajwt_status user_keys(void* key, const char*, size_t, const char*, size_t, ajwt_keyset* out) {
        return ajwt_keyset_add(out, static_cast<const ajwt_key*>(key), nullptr);
    }
    ajwt_status authenticate(const std::string& header) const {
        return ajwt_authenticate(auth, header.data(), header.size(), kNow, nullptr, nullptr, nullptr);
    }
};

double thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

void bench_unknown_vs_bad_signature(benchmark::State& state, Case c) {
    constexpr int kBlock = 20;
    const Fixture f(c);
    double unknown_ns = 0, bad_ns = 0;
    bool unknown_first = true;
    auto block = [&](const std::string& header, ajwt_status expected, double& total) {
        const double start = thread_cpu_ns();
        for (int i = 0; i < kBlock; ++i)
            if (f.authenticate(header) != expected) return false;
        total += thread_cpu_ns() - start;
        return true;
    };
    for (auto _ : state) {
        auto unknown = [&] { return block(f.unknown_user, AJWT_ERR_UNKNOWN_USER, unknown_ns); };
        auto bad = [&] { return block(f.bad_signature, AJWT_ERR_BAD_SIGNATURE, bad_ns); };
        if (!(unknown_first ? unknown() && bad() : bad() && unknown())) {
            state.SkipWithError("unexpected status");
            break;
        }
        unknown_first = !unknown_first;
    }
    const double ops = static_cast<double>(state.iterations()) * kBlock;
    if (ops > 0 && bad_ns > 0) {
        state.counters["unknown_us"] = unknown_ns / ops / 1e3;
        state.counters["bad_signature_us"] = bad_ns / ops / 1e3;
        state.counters["ratio"] = unknown_ns / bad_ns;
    }
}

}  // namespace

BENCHMARK_CAPTURE(bench_unknown_vs_bad_signature, RS256, Case{"RS256", AJWT_KEY_RSA, AJWT_ALG_RS256})
    ->MinTime(1.0)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(bench_unknown_vs_bad_signature, EdDSA, Case{"EdDSA", AJWT_KEY_ED25519, AJWT_ALG_EDDSA})
    ->MinTime(1.0)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(bench_unknown_vs_bad_signature, ES256, Case{"ES256", AJWT_KEY_EC_P256, AJWT_ALG_ES256})
    ->MinTime(1.0)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
