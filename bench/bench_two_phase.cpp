// Two-phase authentication (ajwt_authenticate_begin → ajwt_pending_verify → ajwt_pending_finish,
// the host supplying the keys and recording the nonce) against the one-call ajwt_authenticate
// over callbacks, through the C ABI, in alternating blocks within one run; this thread's CPU time.
//   accepted:  a good token both ways. Counters: one_call_us, two_phase_us, overhead_us, ratio.
//   unknown:   two-phase unknown user (NULL keys: decoy check) against two-phase bad signature.
//              Counters: unknown_us, bad_signature_us, ratio (target 0.9..1.1).
// No nonce store on the verifier and RECORDED from the "host", so one token serves every round.
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DAJWT_BUILD_BENCH=ON
//   ninja -C build-bench ajwt_bench_two_phase && build-bench/bench/ajwt_bench_two_phase
#include <benchmark/benchmark.h>

#include <ajwt.h>

#include "capi_bench_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <string_view>

namespace {

constexpr int64_t kNow = 1700000000;

struct Case {
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
    std::string good, unknown_user, bad_signature;

    explicit Fixture(const Case& c) {
        ajwt_key* user_private = generate(c.type);
        check(ajwt_key_public(user_private, &user_key, nullptr), "public");
        ajwt_key* attacker = generate(c.type);
        ajwt_verifier* verifier = nullptr;
        check(ajwt_verifier_new(&verifier, nullptr), "verifier");
        check(ajwt_authenticator_new(verifier, &auth, nullptr), "authenticator");
        ajwt_verifier_free(verifier);
        check(ajwt_authenticator_set_user_exists(auth, &user_exists, nullptr, nullptr), "user_exists");
        check(ajwt_authenticator_set_user_keys(auth, &user_keys, user_key, nullptr), "user_keys");
        good = sign(user_private, "alice", c.alg);
        unknown_user = sign(attacker, "mallory", c.alg);
        bad_signature = sign(attacker, "alice", c.alg);
        ajwt_key_free(user_private);
        ajwt_key_free(attacker);
        // The first unknown user of an algorithm generates its decoy key: outside the timing.
        two_phase(unknown_user);
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
    ajwt_status one_call(const std::string& header) const {
        return ajwt_authenticate(auth, header.data(), header.size(), kNow, nullptr, nullptr, nullptr);
    }
    // What an async host does: begin, look the user up, verify, record the nonce, finish.
    ajwt_status two_phase(const std::string& header) const {
        ajwt_pending* pending = nullptr;
        ajwt_status status = ajwt_authenticate_begin(auth, header.data(), header.size(), &pending, nullptr);
        if (status != AJWT_OK) return status;
        size_t len = 0;
        const char* username = ajwt_pending_username(pending, &len);
        ajwt_keyset* keys = nullptr;
        status = ajwt_keyset_new(&keys, nullptr);
        const bool known = user_exists(nullptr, username, len) == AJWT_OK;
        if (status == AJWT_OK && known) status = user_keys(user_key, username, len, nullptr, 0, keys);
        if (status == AJWT_OK)
            status =
                ajwt_pending_verify(pending, known ? keys : nullptr, kNow, nullptr, 0, nullptr, 0, nullptr, nullptr);
        if (status == AJWT_OK) {
            benchmark::DoNotOptimize(ajwt_pending_nonce_key(pending, &len));
            status = ajwt_pending_finish(pending, AJWT_NONCE_RECORDED, nullptr, nullptr, nullptr);
        }
        ajwt_keyset_free(keys);
        ajwt_pending_free(pending);
        return status;
    }
};

double thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// Alternating blocks of a and b (which goes first alternates too); false on an unexpected status.
struct Pair {
    std::function<ajwt_status()> a, b;
    ajwt_status a_expected, b_expected;
    double a_ns = 0, b_ns = 0;
    bool run(benchmark::State& state) {
        constexpr int kBlock = 20;
        auto block = [&](const std::function<ajwt_status()>& call, ajwt_status expected, double& total) {
            const double start = thread_cpu_ns();
            for (int i = 0; i < kBlock; ++i)
                if (call() != expected) return false;
            total += thread_cpu_ns() - start;
            return true;
        };
        bool a_first = true;
        for (auto _ : state) {
            auto run_a = [&] { return block(a, a_expected, a_ns); };
            auto run_b = [&] { return block(b, b_expected, b_ns); };
            if (!(a_first ? run_a() && run_b() : run_b() && run_a())) {
                state.SkipWithError("unexpected status");
                return false;
            }
            a_first = !a_first;
        }
        ops = static_cast<double>(state.iterations()) * kBlock;
        return ops > 0 && b_ns > 0;
    }
    double ops = 0;
};

void bench_accepted(benchmark::State& state, Case c) {
    const Fixture f(c);
    Pair pair{[&] { return f.one_call(f.good); }, [&] { return f.two_phase(f.good); }, AJWT_OK, AJWT_OK};
    if (!pair.run(state)) return;
    state.counters["one_call_us"] = pair.a_ns / pair.ops / 1e3;
    state.counters["two_phase_us"] = pair.b_ns / pair.ops / 1e3;
    state.counters["overhead_us"] = (pair.b_ns - pair.a_ns) / pair.ops / 1e3;
    state.counters["ratio"] = pair.b_ns / pair.a_ns;
}

void bench_unknown(benchmark::State& state, Case c) {
    const Fixture f(c);
    Pair pair{[&] { return f.two_phase(f.unknown_user); }, [&] { return f.two_phase(f.bad_signature); },
              AJWT_ERR_UNKNOWN_USER, AJWT_ERR_BAD_SIGNATURE};
    if (!pair.run(state)) return;
    state.counters["unknown_us"] = pair.a_ns / pair.ops / 1e3;
    state.counters["bad_signature_us"] = pair.b_ns / pair.ops / 1e3;
    state.counters["ratio"] = pair.a_ns / pair.b_ns;
}

}  // namespace

BENCHMARK_CAPTURE(bench_accepted, EdDSA, Case{AJWT_KEY_ED25519, AJWT_ALG_EDDSA})
    ->MinTime(1.0)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(bench_accepted, ES256, Case{AJWT_KEY_EC_P256, AJWT_ALG_ES256})
    ->MinTime(1.0)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(bench_unknown, EdDSA, Case{AJWT_KEY_ED25519, AJWT_ALG_EDDSA})
    ->MinTime(1.0)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(bench_unknown, ES256, Case{AJWT_KEY_EC_P256, AJWT_ALG_ES256})
    ->MinTime(1.0)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
