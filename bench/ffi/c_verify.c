/* Per-verification cost through the C ABI directly: the baseline the Go and Rust bindings are
 * compared with (bench/ffi/run.sh). Prints "case ns_per_op" lines: process CPU time per
 * operation (so other load on the machine does not count), best of several batches.
 *
 *   cases: call          ajwt_version_number(), the bare cost of one call
 *          verify_ed25519 parse + verify (Ed25519) + free
 *          verify_rsa2048 parse + verify (RS512, 2048-bit) + free
 *          auth_ed25519   ajwt_authenticate with a user_keys callback (host code), no nonce store
 */
#define _POSIX_C_SOURCE 199309L
#include <ajwt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOW 1700000000

static void check(ajwt_status status, const ajwt_error *err, const char *what) {
    if (status != AJWT_OK) {
        fprintf(stderr, "c_verify: %s: %s\n", what, err->message);
        exit(1);
    }
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef void (*op_fn)(void *ctx);

/* Best ns/op over `batches` batches of `n` operations. */
static double best(op_fn op, void *ctx, long n, int batches) {
    double min = 1e30;
    for (int b = 0; b < batches; ++b) {
        double start = seconds();
        for (long i = 0; i < n; ++i) op(ctx);
        double per = (seconds() - start) * 1e9 / (double)n;
        if (per < min) min = per;
    }
    return min;
}

typedef struct {
    const ajwt_verifier *verifier;
    const ajwt_key *key;
    const char *token;
    size_t token_len;
    const ajwt_authenticator *auth;
    const char *header;
    size_t header_len;
} bench_ctx;

static volatile unsigned sink;

/* The bare call, in a loop of its own (no function pointer per operation, as Go and Rust
 * have none either). */
static double best_call(long n, int batches) {
    double min = 1e30;
    for (int b = 0; b < batches; ++b) {
        unsigned sum = 0;
        double start = seconds();
        for (long i = 0; i < n; ++i) sum += ajwt_version_number();
        double per = (seconds() - start) * 1e9 / (double)n;
        sink = sum;
        if (per < min) min = per;
    }
    return min;
}

static void op_verify(void *p) {
    bench_ctx *ctx = p;
    ajwt_error err = {0};
    ajwt_token *token = NULL;
    check(ajwt_verifier_parse(ctx->verifier, ctx->token, ctx->token_len, &token, &err), &err, "parse");
    check(ajwt_verify(ctx->verifier, token, ctx->key, NOW, &err), &err, "verify");
    ajwt_token_free(token);
}

static void op_auth(void *p) {
    bench_ctx *ctx = p;
    ajwt_error err = {0};
    ajwt_token *token = NULL;
    check(ajwt_authenticate(ctx->auth, ctx->header, ctx->header_len, NOW, &token, NULL, &err), &err, "authenticate");
    ajwt_token_free(token);
}

static ajwt_status user_keys(void *user_data, const char *username, size_t username_len, const char *kid,
                             size_t kid_len, ajwt_keyset *out) {
    (void)kid;
    (void)kid_len;
    if (username_len != 5 || memcmp(username, "alice", 5) != 0) return AJWT_OK;
    return ajwt_keyset_add(out, (const ajwt_key *)user_data, NULL);
}

static char *sign(const ajwt_key *key) {
    ajwt_error err = {0};
    char *token = NULL;
    check(ajwt_sign(key, "alice", 5, NOW, "bench-nonce", 11, AJWT_ALG_UNKNOWN, &token, NULL, &err), &err, "sign");
    return token;
}

int main(int argc, char **argv) {
    double scale = argc > 1 ? atof(argv[1]) : 1.0; /* fewer iterations for a quick run */
    ajwt_error err = {0};
    ajwt_key *ed = NULL, *ed_pub = NULL, *rsa = NULL, *rsa_pub = NULL;
    check(ajwt_key_generate(AJWT_KEY_ED25519, 0, 0, &ed, &err), &err, "generate");
    check(ajwt_key_public(ed, &ed_pub, &err), &err, "public");
    check(ajwt_key_generate(AJWT_KEY_RSA, 2048, 0, &rsa, &err), &err, "generate");
    check(ajwt_key_public(rsa, &rsa_pub, &err), &err, "public");
    ajwt_verifier *verifier = NULL;
    check(ajwt_verifier_new(&verifier, &err), &err, "verifier");

    char *ed_token = sign(ed), *rsa_token = sign(rsa);
    char *header = NULL;
    size_t header_len = 0;
    check(ajwt_auth_header(NULL, 0, ed_token, strlen(ed_token), &header, &header_len, &err), &err, "header");
    ajwt_authenticator *auth = NULL;
    check(ajwt_authenticator_new(verifier, &auth, &err), &err, "authenticator");
    check(ajwt_authenticator_set_user_keys(auth, user_keys, ed_pub, &err), &err, "user_keys");

    bench_ctx ed_ctx = {verifier, ed_pub, ed_token, strlen(ed_token), auth, header, header_len};
    bench_ctx rsa_ctx = {verifier, rsa_pub, rsa_token, strlen(rsa_token), NULL, NULL, 0};

    long n = (long)(2000 * scale) + 1;
    printf("call %.2f\n", best_call((long)(2000000 * scale) + 1, 7));
    printf("verify_ed25519 %.1f\n", best(op_verify, &ed_ctx, n, 7));
    printf("verify_rsa2048 %.1f\n", best(op_verify, &rsa_ctx, n, 7));
    printf("auth_ed25519 %.1f\n", best(op_auth, &ed_ctx, n, 7));

    ajwt_authenticator_free(auth);
    ajwt_free(header);
    ajwt_free(ed_token);
    ajwt_free(rsa_token);
    ajwt_verifier_free(verifier);
    ajwt_key_free(ed);
    ajwt_key_free(ed_pub);
    ajwt_key_free(rsa);
    ajwt_key_free(rsa_pub);
    return 0;
}
