// What a token verification costs through the C ABI, next to the raw signature primitive.
//
// "full" = ajwt_verifier_parse + ajwt_verify_keyset (key by kid from a 4-key set, signature,
// time window, nonce check-and-record in the memory store) + ajwt_token_free, each iteration
// with a token whose nonce was never seen. "raw" = the primitive libajwt uses, over the same
// bytes with a preloaded key: EVP_MD_CTX_new + EVP_DigestVerifyInit + EVP_DigestVerify +
// EVP_MD_CTX_free (RSA, ECDSA), libsodium's crypto_sign_ed25519_verify_detached (Ed25519): the
// floor any verification pays. The program prints full/raw per algorithm after the run,
// from "paired" runs that alternate blocks of both so machine noise hits both alike.
//
// Uses ajwt.h for everything libajwt does, OpenSSL and libsodium only for the raw primitives.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "ajwt.h"

namespace {

// ---- small helpers --------------------------------------------------------------------

void check(ajwt_status status, const ajwt_error& err, const char* what) {
    if (status != AJWT_OK)
        throw std::runtime_error(std::string(what) + ": " + ajwt_status_str(status) + ": " + err.message);
}

std::string b64url_decode(const std::string& text) {
    auto value = [](char c) -> unsigned {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        return c == '-' ? 62 : 63;
    };
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        buffer = buffer << 6 | value(c);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

std::string take_bytes(char* bytes, size_t len) {
    std::string out(bytes, len);
    ajwt_free(bytes);
    return out;
}

ajwt_key* generate(ajwt_key_type type) {
    ajwt_key* key = nullptr;
    ajwt_error err{};
    check(ajwt_key_generate(type, 2048, 0, &key, &err), err, "generate");
    return key;
}

std::string export_key(const ajwt_key* key, ajwt_export_format format) {
    char* out = nullptr;
    size_t len = 0;
    ajwt_error err{};
    check(ajwt_key_export(key, format, nullptr, 0, &out, &len, &err), err, "export");
    return take_bytes(out, len);
}

std::string sign(const ajwt_key* key, ajwt_alg alg, int64_t time, const std::string& nonce) {
    char* out = nullptr;
    size_t len = 0;
    ajwt_error err{};
    check(ajwt_sign(key, "bench-user", 10, time, nonce.data(), nonce.size(), alg, &out, &len, &err), err, "sign");
    return take_bytes(out, len);
}

// ---- per-algorithm fixture ------------------------------------------------------------

struct Case {
    const char* name;
    ajwt_alg alg;
    ajwt_key_type type;
};

const Case kCases[] = {
    {"RS256", AJWT_ALG_RS256, AJWT_KEY_RSA},
    {"EdDSA", AJWT_ALG_EDDSA, AJWT_KEY_ED25519},
    {"ES256", AJWT_ALG_ES256, AJWT_KEY_EC_P256},
};

constexpr size_t kPoolSize = 1000;  // distinct tokens, re-used with a fresh nonce store
constexpr int64_t kNow = 1700000000;

struct Fixture {
    const Case& c;
    ajwt_key* private_key = nullptr;
    ajwt_key* public_key = nullptr;
    ajwt_keyset* keys = nullptr;              // the signer among three other keys
    ajwt_verifier* verifier = nullptr;        // with a memory nonce store
    ajwt_verifier* plain_verifier = nullptr;  // no nonce store
    std::vector<std::string> tokens;          // kPoolSize tokens, unique nonces
    // For the raw primitive: the same bytes the token signature covers.
    EVP_PKEY* pkey = nullptr;
    // Per token of the pool, since a verification's cost depends on the signature (variable-time
    // scalar multiplication): raw checks the very signatures full checks.
    std::vector<std::string> signing_inputs;
    std::vector<std::string> raw_signatures;  // DER for ECDSA, as in the token otherwise
    std::string public_pem;
    EVP_MD_CTX* raw_template = nullptr;     // EVP_DigestVerifyInit done once
    unsigned char ed25519_public[32] = {};  // libsodium's form of an Ed25519 key

    explicit Fixture(const Case& cs) : c(cs) {
        ajwt_error err{};
        private_key = generate(c.type);
        check(ajwt_key_public(private_key, &public_key, &err), err, "public");
        public_pem = export_key(public_key, AJWT_EXPORT_PUBLIC_PEM);

        check(ajwt_keyset_new(&keys, &err), err, "keyset");
        for (ajwt_key_type other : {AJWT_KEY_ED25519, AJWT_KEY_EC_P256, AJWT_KEY_RSA}) {
            ajwt_key* key = generate(other);
            ajwt_key* pub = nullptr;
            check(ajwt_key_public(key, &pub, &err), err, "public");
            check(ajwt_keyset_add(keys, pub, &err), err, "keyset_add");
            ajwt_key_free(pub);
            ajwt_key_free(key);
        }
        check(ajwt_keyset_add(keys, public_key, &err), err, "keyset_add");

        check(ajwt_verifier_new(&verifier, &err), err, "verifier");
        check(ajwt_verifier_new(&plain_verifier, &err), err, "verifier");
        const ajwt_alg algs[] = {c.alg};
        check(ajwt_verifier_set_algorithms(verifier, algs, 1, &err), err, "algorithms");
        check(ajwt_verifier_set_algorithms(plain_verifier, algs, 1, &err), err, "algorithms");
        fresh_store();

        for (size_t i = 0; i < kPoolSize; ++i)
            tokens.push_back(sign(private_key, c.alg, kNow, "n" + std::to_string(i)));
        prepare_raw();
    }

    ~Fixture() {
        EVP_MD_CTX_free(raw_template);
        EVP_PKEY_free(pkey);
        ajwt_verifier_free(plain_verifier);
        ajwt_verifier_free(verifier);
        ajwt_keyset_free(keys);
        ajwt_key_free(public_key);
        ajwt_key_free(private_key);
    }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    void fresh_store() {
        ajwt_error err{};
        ajwt_nonce_store* store = nullptr;
        check(ajwt_nonce_store_new_memory(0, 0, &store, &err), err, "store");
        check(ajwt_verifier_set_nonce_store(verifier, store, &err), err, "set store");
        ajwt_nonce_store_free(store);
    }

    void prepare_raw() {
        for (const std::string& token : tokens) {
            size_t second_dot = token.rfind('.');
            signing_inputs.push_back(token.substr(0, second_dot));
            std::string signature = b64url_decode(token.substr(second_dot + 1));
            raw_signatures.push_back(c.type == AJWT_KEY_EC_P256 ? ecdsa_der(signature) : signature);
        }
        BIO* bio = BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size()));
        pkey = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        if (!pkey) throw std::runtime_error("PEM_read_bio_PUBKEY");
        size_t ed25519_size = sizeof ed25519_public;
        if (c.type == AJWT_KEY_ED25519 && EVP_PKEY_get_raw_public_key(pkey, ed25519_public, &ed25519_size) != 1)
            throw std::runtime_error("EVP_PKEY_get_raw_public_key");
        if (!raw_verify()) throw std::runtime_error(std::string("raw verification fails for ") + c.name);
        raw_template = EVP_MD_CTX_new();
        if (EVP_DigestVerifyInit(raw_template, nullptr, digest(), nullptr, pkey) != 1 || !raw_verify_from_template())
            throw std::runtime_error(std::string("template verification fails for ") + c.name);
    }

    static std::string ecdsa_der(const std::string& jws) {
        const size_t half = jws.size() / 2;
        ECDSA_SIG* sig = ECDSA_SIG_new();
        BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(jws.data()), static_cast<int>(half), nullptr);
        BIGNUM* s =
            BN_bin2bn(reinterpret_cast<const unsigned char*>(jws.data()) + half, static_cast<int>(half), nullptr);
        ECDSA_SIG_set0(sig, r, s);
        unsigned char* der = nullptr;
        int len = i2d_ECDSA_SIG(sig, &der);
        std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
        OPENSSL_free(der);
        ECDSA_SIG_free(sig);
        return out;
    }

    const EVP_MD* digest() const { return c.type == AJWT_KEY_ED25519 ? nullptr : EVP_sha256(); }

    // The cheapest use of the primitive: copy a context initialised once, then verify.
    bool raw_verify_from_template(size_t index = 0) const {
        const std::string& signing_input = signing_inputs[index];
        const std::string& raw_signature = raw_signatures[index];
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        bool ok =
            EVP_MD_CTX_copy_ex(ctx, raw_template) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(raw_signature.data()), raw_signature.size(),
                             reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
        EVP_MD_CTX_free(ctx);
        return ok;
    }

    bool raw_verify(size_t index = 0) const {
        const std::string& signing_input = signing_inputs[index];
        const std::string& raw_signature = raw_signatures[index];
        if (c.type == AJWT_KEY_ED25519)
            return crypto_sign_ed25519_verify_detached(reinterpret_cast<const unsigned char*>(raw_signature.data()),
                                                       reinterpret_cast<const unsigned char*>(signing_input.data()),
                                                       signing_input.size(), ed25519_public) == 0;
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        bool ok =
            EVP_DigestVerifyInit(ctx, nullptr, digest(), nullptr, pkey) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(raw_signature.data()), raw_signature.size(),
                             reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
        EVP_MD_CTX_free(ctx);
        return ok;
    }
};

Fixture& fixture(const Case& c) {
    static std::map<std::string, std::unique_ptr<Fixture>> fixtures;
    auto& slot = fixtures[c.name];
    if (!slot) slot = std::make_unique<Fixture>(c);
    return *slot;
}

// ---- benchmarks -----------------------------------------------------------------------

// One full verification of the next never-seen token of the pool.
ajwt_status full_once(Fixture& f, size_t& next) {
    const std::string& token = f.tokens[next++];
    ajwt_token* parsed = nullptr;
    const ajwt_key* used = nullptr;
    ajwt_status status = ajwt_verifier_parse(f.verifier, token.data(), token.size(), &parsed, nullptr);
    if (status == AJWT_OK) status = ajwt_verify_keyset(f.verifier, parsed, f.keys, kNow, &used, nullptr);
    ajwt_token_free(parsed);
    benchmark::DoNotOptimize(used);
    return status;
}

void bench_full(benchmark::State& state, const Case* c) {
    Fixture& f = fixture(*c);
    f.fresh_store();
    size_t next = 0;
    for (auto _ : state) {
        if (next == kPoolSize) {
            // Every token of the pool was recorded: start over with an empty store.
            state.PauseTiming();
            f.fresh_store();
            next = 0;
            state.ResumeTiming();
        }
        ajwt_status status = full_once(f, next);
        if (status != AJWT_OK) {
            state.SkipWithError(ajwt_status_str(status));
            break;
        }
    }
}

void bench_raw(benchmark::State& state, const Case* c) {
    Fixture& f = fixture(*c);
    for (auto _ : state) {
        bool ok = f.raw_verify();
        if (!ok) {
            state.SkipWithError("raw verification failed");
            break;
        }
    }
}

double thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// full and raw measured in alternating blocks of kBlock operations within one run, so both
// see the same machine state (other processes, frequency, caches); this thread's CPU time.
// The order inside each pair of blocks alternates too. Counters: full_us, raw_us, ratio.
// Full: a never-seen token each time (kFresh), or the same token over and over through a
// verifier without nonce store (kHot: no new token text, no store insert; what remains is
// parse + key lookup + signature + time). Raw: the primitive on the same tokens as full, or
// (kFreshVsTemplate) a copy of a context initialised once + EVP_DigestVerify, the least any
// caller can pay per verification.
enum class Pairing { kFresh, kHot, kFreshVsTemplate };

void bench_paired(benchmark::State& state, const Case* c, Pairing pairing) {
    const bool hot = pairing == Pairing::kHot;
    const bool from_template = pairing == Pairing::kFreshVsTemplate;
    constexpr size_t kBlock = 20;
    Fixture& f = fixture(*c);
    f.fresh_store();
    size_t next = 0;
    size_t block_start = 0;  // the pool tokens of this pair of blocks: raw checks the same ones
    double full_ns = 0, raw_ns = 0;
    bool full_first = true;
    auto hot_once = [&] {
        const std::string& token = f.tokens[0];
        ajwt_token* parsed = nullptr;
        const ajwt_key* used = nullptr;
        ajwt_status status = ajwt_verifier_parse(f.plain_verifier, token.data(), token.size(), &parsed, nullptr);
        if (status == AJWT_OK) status = ajwt_verify_keyset(f.plain_verifier, parsed, f.keys, kNow, &used, nullptr);
        ajwt_token_free(parsed);
        return status;
    };
    auto run_full = [&] {
        const double start = thread_cpu_ns();
        for (size_t i = 0; i < kBlock; ++i)
            if ((hot ? hot_once() : full_once(f, next)) != AJWT_OK) return false;
        full_ns += thread_cpu_ns() - start;
        return true;
    };
    auto run_raw = [&] {
        const double start = thread_cpu_ns();
        for (size_t i = 0; i < kBlock; ++i) {
            const size_t index = hot ? 0 : block_start + i;
            if (!(from_template ? f.raw_verify_from_template(index) : f.raw_verify(index))) return false;
        }
        raw_ns += thread_cpu_ns() - start;
        return true;
    };
    for (auto _ : state) {
        if (next + kBlock > kPoolSize) {
            f.fresh_store();  // outside both block timers
            next = 0;
        }
        block_start = next;
        bool ok = full_first ? run_full() && run_raw() : run_raw() && run_full();
        if (!ok) {
            state.SkipWithError("verification failed");
            break;
        }
        full_first = !full_first;
    }
    const double ops = static_cast<double>(state.iterations()) * kBlock;
    if (ops > 0 && raw_ns > 0) {
        state.counters["full_us"] = full_ns / ops / 1e3;
        state.counters["raw_us"] = raw_ns / ops / 1e3;
        state.counters["ratio"] = full_ns / raw_ns;
    }
}

// Components of "full", to see where any overhead goes.
void bench_parse(benchmark::State& state, const Case* c) {
    Fixture& f = fixture(*c);
    const std::string& token = f.tokens[0];
    for (auto _ : state) {
        ajwt_token* parsed = nullptr;
        ajwt_status status = ajwt_verifier_parse(f.plain_verifier, token.data(), token.size(), &parsed, nullptr);
        benchmark::DoNotOptimize(status);
        ajwt_token_free(parsed);
    }
}

void bench_verify_parsed(benchmark::State& state, const Case* c) {
    // Signature + time through the ABI with one key, no nonce store, token parsed once.
    Fixture& f = fixture(*c);
    const std::string& token = f.tokens[0];
    ajwt_token* parsed = nullptr;
    ajwt_error err{};
    check(ajwt_verifier_parse(f.plain_verifier, token.data(), token.size(), &parsed, &err), err, "parse");
    for (auto _ : state) {
        ajwt_status status = ajwt_verify(f.plain_verifier, parsed, f.public_key, kNow, nullptr);
        if (status != AJWT_OK) {
            state.SkipWithError(ajwt_status_str(status));
            break;
        }
    }
    ajwt_token_free(parsed);
}

void bench_nonce(benchmark::State& state, const Case*) {
    // Memory-store check-and-record of a new nonce (the store is replaced every kPoolSize).
    ajwt_nonce_store* store = nullptr;
    ajwt_nonce_store_new_memory(0, 0, &store, nullptr);
    std::vector<std::string> nonces;
    for (size_t i = 0; i < kPoolSize; ++i) nonces.push_back("n" + std::to_string(i));
    size_t next = 0;
    for (auto _ : state) {
        if (next == kPoolSize) {
            state.PauseTiming();
            ajwt_nonce_store_free(store);
            ajwt_nonce_store_new_memory(0, 0, &store, nullptr);
            next = 0;
            state.ResumeTiming();
        }
        const std::string& nonce = nonces[next++];
        ajwt_status status =
            ajwt_nonce_store_check_and_record(store, "bench-user", 10, kNow, nonce.data(), nonce.size(), kNow, nullptr);
        benchmark::DoNotOptimize(status);
    }
    ajwt_nonce_store_free(store);
}

void bench_sign(benchmark::State& state, const Case* c) {
    Fixture& f = fixture(*c);
    for (auto _ : state) {
        char* out = nullptr;
        size_t len = 0;
        ajwt_status status = ajwt_sign(f.private_key, "bench-user", 10, kNow, "nonce", 5, c->alg, &out, &len, nullptr);
        if (status != AJWT_OK) {
            state.SkipWithError(ajwt_status_str(status));
            break;
        }
        ajwt_free(out);
    }
}

void bench_load_cached(benchmark::State& state, const Case* c) {
    Fixture& f = fixture(*c);
    for (auto _ : state) {
        ajwt_key* key = nullptr;
        ajwt_status status =
            ajwt_key_load_public(f.public_pem.data(), f.public_pem.size(), AJWT_FORMAT_PEM, &key, nullptr);
        if (status != AJWT_OK) {
            state.SkipWithError(ajwt_status_str(status));
            break;
        }
        ajwt_key_free(key);
    }
}

void bench_load_uncached(benchmark::State& state, const Case* c) {
    // Each iteration loads a text the cache has never seen: the PEM plus 20 trailing
    // whitespace characters spelling the iteration number (the loader trims them).
    Fixture& f = fixture(*c);
    std::string text = f.public_pem + std::string(20, ' ');
    static uint32_t counter = 0;  // never repeats a text across runs of this benchmark
    for (auto _ : state) {
        uint32_t n = ++counter;
        for (int bit = 0; bit < 20; ++bit) text[f.public_pem.size() + bit] = (n >> bit) & 1 ? '\n' : ' ';
        ajwt_key* key = nullptr;
        ajwt_status status = ajwt_key_load_public(text.data(), text.size(), AJWT_FORMAT_PEM, &key, nullptr);
        if (status != AJWT_OK) {
            state.SkipWithError(ajwt_status_str(status));
            break;
        }
        ajwt_key_free(key);
    }
}

// ---- reporting ------------------------------------------------------------------------

// Prints like the console reporter and keeps, per benchmark, the CPU time per iteration (ns)
// and the counters; with repetitions, the median over repetitions.
class CollectingReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.error_occurred) continue;
            const std::string name = run.run_name.str();
            // With --benchmark_report_aggregates_only only aggregates arrive here.
            auto& target = run.run_type == Run::RT_Aggregate ? aggregates_[name][run.aggregate_name] : samples_[name];
            target["cpu_ns"].push_back(run.GetAdjustedCPUTime() * to_ns(run.time_unit));
            for (const auto& [counter, value] : run.counters) target[counter].push_back(value.value);
            if (run.run_type == Run::RT_Aggregate) repetitions_[name] = static_cast<size_t>(run.repetitions);
        }
    }
    // Median of a value over repetitions, or a negative value when the benchmark did not run.
    double get(const std::string& name, const std::string& what = "cpu_ns") const {
        if (const auto* values = find(aggregates_, name, "median", what)) return values->front();
        auto it = samples_.find(name);
        if (it == samples_.end() || !it->second.count(what) || it->second.at(what).empty()) return -1;
        std::vector<double> values = it->second.at(what);
        std::sort(values.begin(), values.end());
        const size_t n = values.size();
        return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
    // Standard deviation over repetitions (0 when unknown).
    double stddev(const std::string& name, const std::string& what) const {
        if (const auto* values = find(aggregates_, name, "stddev", what)) return values->front();
        auto it = samples_.find(name);
        if (it == samples_.end() || !it->second.count(what) || it->second.at(what).size() < 2) return 0;
        const auto& values = it->second.at(what);
        double mean = 0, square = 0;
        for (double v : values) mean += v / values.size();
        for (double v : values) square += (v - mean) * (v - mean) / (values.size() - 1);
        return std::sqrt(square);
    }
    size_t repetitions(const std::string& name) const {
        if (auto it = repetitions_.find(name); it != repetitions_.end()) return it->second;
        auto it = samples_.find(name);
        return it == samples_.end() || !it->second.count("cpu_ns") ? 0 : it->second.at("cpu_ns").size();
    }

private:
    using Values = std::map<std::string, std::vector<double>>;
    static const std::vector<double>* find(const std::map<std::string, std::map<std::string, Values>>& aggregates,
                                           const std::string& name, const std::string& aggregate,
                                           const std::string& what) {
        auto by_name = aggregates.find(name);
        if (by_name == aggregates.end()) return nullptr;
        auto by_aggregate = by_name->second.find(aggregate);
        if (by_aggregate == by_name->second.end()) return nullptr;
        auto values = by_aggregate->second.find(what);
        return values == by_aggregate->second.end() || values->second.empty() ? nullptr : &values->second;
    }
    static double to_ns(benchmark::TimeUnit unit) {
        switch (unit) {
            case benchmark::kNanosecond: return 1;
            case benchmark::kMicrosecond: return 1e3;
            case benchmark::kMillisecond: return 1e6;
            case benchmark::kSecond: return 1e9;
        }
        return 1;
    }
    std::map<std::string, Values> samples_;
    std::map<std::string, std::map<std::string, Values>> aggregates_;
    std::map<std::string, size_t> repetitions_;
};

std::string us(double ns) {
    if (ns < 0) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", ns / 1e3);
    return text;
}

std::string fixed(double value, const char* format = "%.3f") {
    if (value < 0) return "-";
    char text[32];
    std::snprintf(text, sizeof text, format, value);
    return text;
}

void print_summary(const CollectingReporter& r) {
    std::printf(
        "\nFull verification through the C ABI vs the raw primitive, measured in alternating\n"
        "blocks in one run (thread CPU time, median of %zu repetitions)\n",
        r.repetitions("paired/" + std::string(kCases[0].name)));
    std::printf("%-6s %9s %9s %9s %7s %8s %8s | %6s %8s %6s %9s\n", "alg", "full(us)", "raw(us)", "full/raw", "sd",
                "hot f/r", "f/tmpl", "parse", "verify*", "nonce", "alone f/r");
    const double nonce = r.get("nonce/memory");
    for (const Case& c : kCases) {
        const std::string n = c.name;
        const double alone_full = r.get("verify_full/" + n), alone_raw = r.get("verify_raw/" + n);
        const double alone = alone_full > 0 && alone_raw > 0 ? alone_full / alone_raw : -1;
        std::printf("%-6s %9s %9s %9s %7s %8s %8s | %6s %8s %6s %9s\n", c.name,
                    fixed(r.get("paired/" + n, "full_us"), "%.2f").c_str(),
                    fixed(r.get("paired/" + n, "raw_us"), "%.2f").c_str(), fixed(r.get("paired/" + n, "ratio")).c_str(),
                    r.repetitions("paired/" + n) > 1 ? fixed(r.stddev("paired/" + n, "ratio")).c_str() : "-",
                    fixed(r.get("paired_hot/" + n, "ratio")).c_str(),
                    fixed(r.get("paired_template/" + n, "ratio")).c_str(), us(r.get("parse/" + n)).c_str(),
                    us(r.get("verify_parsed/" + n)).c_str(), us(nonce).c_str(), fixed(alone).c_str());
    }
    std::printf(
        "full     ajwt_verifier_parse + ajwt_verify_keyset (kid among 4 keys, signature, time, memory-store\n"
        "         nonce) + ajwt_token_free, a never-seen token each time; raw = the primitive libajwt\n"
        "         uses with a preloaded key: EVP_MD_CTX_new + EVP_DigestVerifyInit + EVP_DigestVerify +\n"
        "         EVP_MD_CTX_free (RS256, ES256), libsodium crypto_sign_ed25519_verify_detached (EdDSA)\n"
        "sd       standard deviation of full/raw over the repetitions\n"
        "hot f/r  the same, but one token over and over and no nonce store\n"
        "f/tmpl   full vs OpenSSL's cheapest call: a copy of a context initialised once (EVP_MD_CTX_copy_ex +\n"
        "         EVP_DigestVerify); for EdDSA that is OpenSSL's Ed25519, which libajwt does not use\n"
        "parse    ajwt_verifier_parse + ajwt_token_free (us); verify* = ajwt_verify of a parsed token,\n"
        "         one key, no store (us); nonce = memory-store check-and-record (us)\n"
        "alone    full/raw from the separate verify_full and verify_raw runs (noisier)\n");
    std::printf("\nOther operations (us per operation)\n%-6s %10s %17s %19s %10s\n", "alg", "sign", "PEM load cached",
                "PEM load uncached", "parse");
    for (const Case& c : kCases) {
        const std::string n = c.name;
        std::printf("%-6s %10s %17s %19s %10s\n", c.name, us(r.get("sign/" + n)).c_str(),
                    us(r.get("load_pem_cached/" + n)).c_str(), us(r.get("load_pem_uncached/" + n)).c_str(),
                    us(r.get("parse/" + n)).c_str());
    }
}

void register_benchmarks() {
    for (const Case& c : kCases) {
        const std::string n = c.name;
        benchmark::RegisterBenchmark(("paired/" + n).c_str(), bench_paired, &c, Pairing::kFresh);
        benchmark::RegisterBenchmark(("paired_hot/" + n).c_str(), bench_paired, &c, Pairing::kHot);
        benchmark::RegisterBenchmark(("paired_template/" + n).c_str(), bench_paired, &c, Pairing::kFreshVsTemplate);
        benchmark::RegisterBenchmark(("verify_full/" + n).c_str(), bench_full, &c);
        benchmark::RegisterBenchmark(("verify_raw/" + n).c_str(), bench_raw, &c);
        benchmark::RegisterBenchmark(("parse/" + n).c_str(), bench_parse, &c);
        benchmark::RegisterBenchmark(("verify_parsed/" + n).c_str(), bench_verify_parsed, &c);
    }
    benchmark::RegisterBenchmark("nonce/memory", bench_nonce, &kCases[0]);
    for (const Case& c : kCases) {
        const std::string n = c.name;
        benchmark::RegisterBenchmark(("sign/" + n).c_str(), bench_sign, &c);
        benchmark::RegisterBenchmark(("load_pem_cached/" + n).c_str(), bench_load_cached, &c);
        benchmark::RegisterBenchmark(("load_pem_uncached/" + n).c_str(), bench_load_uncached, &c);
    }
}

// Defaults for a noisy shared machine unless given on the command line: 5 repetitions,
// randomly interleaved, so medians are comparable.
std::vector<char*> with_defaults(int argc, char** argv) {
    static std::vector<std::string> defaults = {
        "--benchmark_repetitions=5", "--benchmark_enable_random_interleaving=true", "--benchmark_min_time=0.2"};
    std::vector<char*> args(argv, argv + argc);
    for (std::string& option : defaults) {
        const std::string name = option.substr(0, option.find('='));
        bool given = false;
        for (int i = 1; i < argc; ++i)
            if (std::strncmp(argv[i], name.c_str(), name.size()) == 0) given = true;
        if (!given) args.push_back(option.data());
    }
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    register_benchmarks();
    std::vector<char*> args = with_defaults(argc, argv);
    int count = static_cast<int>(args.size());
    args.push_back(nullptr);
    benchmark::Initialize(&count, args.data());
    if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
    CollectingReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    print_summary(reporter);
    benchmark::Shutdown();
    return 0;
}
