/* Two threads against one, verifying through the C ABI: the ceiling for any binding's
 * multi-thread figure on this machine (the Python benchmark's "two threads vs one" compares
 * with it). Each thread parses and verifies the same token with a shared key and verifier,
 * no nonce store; rates are wall-clock, best of ROUNDS alternating one- and two-thread runs.
 *
 *   ninja -C build-bench ajwt_bench_threads && build-bench/bench/ajwt_bench_threads [SECONDS] [ROUNDS]
 */
#include <ajwt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { kMaxThreads = 2, kBatch = 20 };

struct workload {
    const ajwt_verifier *verifier;
    const ajwt_key *public_key;
    char *token;
    size_t token_len;
    int64_t now;
    atomic_int stop;
    long done[kMaxThreads];
};

struct worker_arg {
    struct workload *work;
    int index;
};

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const char *what, ajwt_status status) {
    fprintf(stderr, "%s: %s\n", what, ajwt_status_str(status));
    exit(1);
}

static void *verify_until_stopped(void *p) {
    struct worker_arg *arg = p;
    struct workload *w = arg->work;
    long n = 0;
    while (!atomic_load_explicit(&w->stop, memory_order_relaxed)) {
        for (int i = 0; i < kBatch; i++) {
            ajwt_token *token = NULL;
            ajwt_status status = ajwt_verifier_parse(w->verifier, w->token, w->token_len, &token, NULL);
            if (status == AJWT_OK) status = ajwt_verify(w->verifier, token, w->public_key, w->now, NULL);
            ajwt_token_free(token);
            if (status != AJWT_OK) die("verify", status);
        }
        n += kBatch;
    }
    w->done[arg->index] = n;
    return NULL;
}

static double rate(struct workload *w, int threads, double seconds) {
    pthread_t ids[kMaxThreads];
    struct worker_arg args[kMaxThreads];
    atomic_store(&w->stop, 0);
    const double started = seconds_now();
    for (int i = 0; i < threads; i++) {
        args[i] = (struct worker_arg){w, i};
        pthread_create(&ids[i], NULL, verify_until_stopped, &args[i]);
    }
    struct timespec wait = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&wait, NULL);
    atomic_store(&w->stop, 1);
    long total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        total += w->done[i];
    }
    return (double)total / (seconds_now() - started);
}

int main(int argc, char **argv) {
    const double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    const int rounds = argc > 2 ? atoi(argv[2]) : 4;
    const struct { const char *name; ajwt_key_type type; } cases[] = {
        {"RSA-2048 (RS512)", AJWT_KEY_RSA}, {"Ed25519 (EdDSA)", AJWT_KEY_ED25519}, {"P-256 (ES256)", AJWT_KEY_EC_P256}};

    ajwt_verifier *verifier = NULL;
    ajwt_status status = ajwt_verifier_new(&verifier, NULL);
    if (status != AJWT_OK) die("ajwt_verifier_new", status);
    printf("%-18s %14s %14s %8s\n", "key", "1 thread /s", "2 threads /s", "ratio");
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ajwt_key *private_key = NULL, *public_key = NULL;
        struct workload w = {.verifier = verifier, .now = 1700000000};
        if ((status = ajwt_key_generate(cases[c].type, 0, 0, &private_key, NULL)) != AJWT_OK) die("generate", status);
        if ((status = ajwt_key_public(private_key, &public_key, NULL)) != AJWT_OK) die("public", status);
        status = ajwt_sign(private_key, "bench", 5, w.now, "nonce", 5, AJWT_ALG_UNKNOWN, &w.token, &w.token_len, NULL);
        if (status != AJWT_OK) die("sign", status);
        w.public_key = public_key;
        double one = 0, two = 0;
        for (int r = 0; r < rounds; r++) {
            const double a = rate(&w, 1, seconds), b = rate(&w, 2, seconds);
            if (a > one) one = a;
            if (b > two) two = b;
        }
        printf("%-18s %14.0f %14.0f %7.2fx\n", cases[c].name, one, two, two / one);
        ajwt_free(w.token);
        ajwt_key_free(public_key);
        ajwt_key_free(private_key);
    }
    ajwt_verifier_free(verifier);
    return 0;
}
