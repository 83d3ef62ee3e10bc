/* A plain C99 program against ajwt.h alone: load a key, generate one, sign, parse, verify,
 * and check statuses. Prints what it does; exits non-zero on any unexpected result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ajwt.h"

static int failures = 0;

static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok) failures++;
}

static void expect_status(ajwt_status got, ajwt_status want, const ajwt_error *err, const char *what) {
    int ok = got == want;
    printf("%s %s: %s", ok ? "ok  " : "FAIL", what, ajwt_status_str(got));
    if (got != AJWT_OK && err != NULL) printf(" (%s)", err->message);
    if (!ok) printf(" -- expected %s", ajwt_status_str(want));
    printf("\n");
    if (!ok) failures++;
}

/* The Ed25519 test key of asymmetric-jwt-auth 1.x (tests/vectors/compat). */
static const char ed25519_public_pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEAhRk96LXVjEtq8yI1I5LiRiv0OHiGvgJKfU0a4SweOe0=\n"
    "-----END PUBLIC KEY-----\n";
static const char ed25519_fingerprint[] = "cb10cd75c2eacf7aa2b5195bef9838cccd9d2ae4938601178808cb881b68ec72";

static void test_load(void) {
    ajwt_error err;
    ajwt_key *key = NULL;
    char fingerprint[AJWT_FINGERPRINT_SIZE];
    ajwt_status st;

    memset(&err, 0, sizeof err);
    st = ajwt_key_load_public(ed25519_public_pem, strlen(ed25519_public_pem), AJWT_FORMAT_ANY, &key, &err);
    expect_status(st, AJWT_OK, &err, "load the Ed25519 test public key");
    if (st != AJWT_OK) return;
    check(ajwt_key_get_type(key) == AJWT_KEY_ED25519, "its type is Ed25519");
    check(ajwt_key_is_private(key) == 0, "it is a public key");
    st = ajwt_key_fingerprint(key, fingerprint, &err);
    expect_status(st, AJWT_OK, &err, "fingerprint");
    printf("     fingerprint %s\n", fingerprint);
    check(strcmp(fingerprint, ed25519_fingerprint) == 0, "fingerprint matches asymmetric-jwt-auth 1.x");
    ajwt_key_free(key);

    key = NULL;
    st = ajwt_key_load_public("not a key", 9, AJWT_FORMAT_ANY, &key, &err);
    expect_status(st, AJWT_ERR_KEY_PARSE, &err, "garbage text is refused");
    check(key == NULL, "no handle on failure");
    check(err.status == AJWT_ERR_KEY_PARSE && err.message[0] != '\0', "error struct filled");
}

static int sign_and_verify(ajwt_key_type type, const char *label) {
    ajwt_error err;
    ajwt_key *private_key = NULL, *public_key = NULL;
    ajwt_verifier *verifier = NULL;
    ajwt_nonce_store *store = NULL;
    ajwt_token *token = NULL;
    char *text = NULL, *header = NULL;
    size_t text_len = 0, header_len = 0, len = 0;
    const char *username;
    int64_t now = ajwt_now();
    ajwt_status st;
    char what[128];

    memset(&err, 0, sizeof err);
    printf("-- %s\n", label);
    st = ajwt_key_generate(type, 0, 0, &private_key, &err);
    expect_status(st, AJWT_OK, &err, "generate a key");
    if (st != AJWT_OK) return 0;
    st = ajwt_key_public(private_key, &public_key, &err);
    expect_status(st, AJWT_OK, &err, "take its public half");

    st = ajwt_sign(private_key, "guido", 5, now, "n0nce", 5, AJWT_ALG_UNKNOWN, &text, &text_len, &err);
    expect_status(st, AJWT_OK, &err, "sign a token");
    if (st != AJWT_OK) goto done;
    check(strlen(text) == text_len, "the token is NUL-terminated at its length");
    printf("     token %.40s... (%lu bytes)\n", text, (unsigned long)text_len);
    st = ajwt_auth_header(NULL, 0, text, text_len, &header, &header_len, &err);
    expect_status(st, AJWT_OK, &err, "build the Authorization header");
    check(header != NULL && strncmp(header, "JWT ", 4) == 0, "header starts with \"JWT \"");

    st = ajwt_verifier_new(&verifier, &err);
    expect_status(st, AJWT_OK, &err, "new verifier");
    st = ajwt_nonce_store_new_memory(0, 0, &store, &err);
    expect_status(st, AJWT_OK, &err, "new memory nonce store");
    st = ajwt_verifier_set_nonce_store(verifier, store, &err);
    expect_status(st, AJWT_OK, &err, "attach the store");
    ajwt_nonce_store_free(store); /* the verifier keeps its own reference */

    st = ajwt_verifier_parse(verifier, text, text_len, &token, &err);
    expect_status(st, AJWT_OK, &err, "parse the token");
    if (st != AJWT_OK) goto done;
    username = ajwt_token_username(token, &len);
    check(len == 5 && strcmp(username, "guido") == 0, "username claim is guido");
    check(ajwt_token_time(token) == now, "time claim round-trips");
    snprintf(what, sizeof what, "alg is %s", ajwt_alg_name(ajwt_token_alg(token)));
    check(ajwt_token_alg(token) != AJWT_ALG_UNKNOWN, what);

    st = ajwt_verify(verifier, token, public_key, now + 20, &err);
    expect_status(st, AJWT_OK, &err, "verify at now + 20 (the edge of the window)");
    st = ajwt_verify(verifier, token, public_key, now, &err);
    expect_status(st, AJWT_ERR_NONCE_REPLAYED, &err, "the same token again is a replay");
    st = ajwt_verify(verifier, token, public_key, now + 21, &err);
    expect_status(st, AJWT_ERR_TOKEN_EXPIRED, &err, "verify at now + 21 is too late");

    /* One flipped signature byte. */
    text[text_len - 2] = text[text_len - 2] == 'A' ? 'B' : 'A';
    ajwt_token_free(token);
    token = NULL;
    st = ajwt_token_parse(text, text_len, 0, &token, &err);
    if (st == AJWT_OK) {
        st = ajwt_verify(verifier, token, public_key, now, &err);
        expect_status(st, AJWT_ERR_BAD_SIGNATURE, &err, "a tampered signature fails");
    } else {
        expect_status(st, AJWT_ERR_TOKEN_BASE64, &err, "a tampered signature fails to decode");
    }

done:
    ajwt_token_free(token);
    ajwt_free(text);
    ajwt_free(header);
    ajwt_verifier_free(verifier);
    ajwt_key_free(public_key);
    ajwt_key_free(private_key);
    return 1;
}

static void test_status_strings(void) {
    static const ajwt_status all[] = {
        AJWT_OK, AJWT_ERR_INVALID_ARGUMENT, AJWT_ERR_OUT_OF_MEMORY, AJWT_ERR_INTERNAL,
        AJWT_ERR_CALLBACK_FAILED, AJWT_ERR_KEY_PARSE, AJWT_ERR_KEY_UNSUPPORTED, AJWT_ERR_KEY_TOO_SMALL,
        AJWT_ERR_KEY_TOO_LARGE, AJWT_ERR_PASSWORD_REQUIRED, AJWT_ERR_WRONG_PASSWORD,
        AJWT_ERR_ENCRYPTED_OPENSSH_KEY, AJWT_ERR_NOT_PRIVATE_KEY, AJWT_ERR_PRIVATE_KEY_GIVEN,
        AJWT_ERR_JWKS_PARSE, AJWT_ERR_TOKEN_TOO_LARGE, AJWT_ERR_TOKEN_FORMAT, AJWT_ERR_TOKEN_BASE64,
        AJWT_ERR_TOKEN_JSON, AJWT_ERR_TOKEN_HEADER, AJWT_ERR_TOKEN_CLAIMS, AJWT_ERR_TOKEN_TIME,
        AJWT_ERR_ALGORITHM_NOT_ALLOWED, AJWT_ERR_BAD_SIGNATURE, AJWT_ERR_TOKEN_EXPIRED,
        AJWT_ERR_TOKEN_FROM_FUTURE, AJWT_ERR_NONCE_REPLAYED, AJWT_ERR_NONCE_STORE_FULL,
        AJWT_ERR_NO_AUTH_HEADER, AJWT_ERR_WRONG_AUTH_METHOD, AJWT_ERR_UNKNOWN_USER, AJWT_ERR_NO_MATCHING_KEY,
        AJWT_ERR_TOKEN_EXP_PASSED, AJWT_ERR_TOKEN_NOT_YET_VALID, AJWT_ERR_TOKEN_IAT_FUTURE,
        AJWT_ERR_TOKEN_AUDIENCE, AJWT_ERR_TOKEN_REGISTERED_CLAIM, AJWT_ERR_BINDING_METHOD, AJWT_ERR_BINDING_TARGET,
        AJWT_ERR_BINDING_BODY, AJWT_ERR_BINDING_AUDIENCE, AJWT_ERR_BINDING_REQUIRED};
    size_t i;
    int all_known = 1;
    const char *unknown = ajwt_status_str((ajwt_status)9999);
    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *text = ajwt_status_str(all[i]);
        if (text == NULL || text[0] == '\0' || strcmp(text, unknown) == 0) all_known = 0;
    }
    check(all_known, "every status has its own text");
    check(strcmp(unknown, "unknown status") == 0, "an unknown value gives \"unknown status\"");
    check(strcmp(ajwt_status_str(AJWT_ERR_BAD_SIGNATURE), "bad signature") == 0, "BAD_SIGNATURE text");
}

/* C callers can pass any int where an enum is expected: refused, never undefined. */
static void test_out_of_range_enums(void) {
    ajwt_error err;
    ajwt_key *key = NULL;
    ajwt_verifier *verifier = NULL;
    ajwt_alg algs[2];
    char *out = NULL;
    size_t out_len = 0;
    const char *pem = ed25519_public_pem;
    memset(&err, 0, sizeof err);
    check(strcmp(ajwt_status_str((ajwt_status)12345), "unknown status") == 0, "status 12345 is unknown");
    check(strcmp(ajwt_status_str((ajwt_status)-1), "unknown status") == 0, "status -1 is unknown");
    check(ajwt_alg_name((ajwt_alg)99) == NULL, "alg 99 has no name");
    check(ajwt_alg_name((ajwt_alg)-1) == NULL, "alg -1 has no name");
    expect_status(ajwt_key_load_public(pem, strlen(pem), (ajwt_key_format)99, &key, &err), AJWT_ERR_INVALID_ARGUMENT,
                  &err, "key format 99");
    expect_status(ajwt_key_generate((ajwt_key_type)-5, 0, 0, &key, &err), AJWT_ERR_INVALID_ARGUMENT, &err,
                  "key type -5");
    check(key == NULL, "no key handle");
    expect_status(ajwt_key_load_public(pem, strlen(pem), AJWT_FORMAT_PEM, &key, &err), AJWT_OK, &err, "load");
    check(ajwt_key_supports_alg(key, (ajwt_alg)1000) == 0, "alg 1000 is not supported");
    expect_status(ajwt_key_export(key, (ajwt_export_format)1000, NULL, 0, &out, &out_len, &err),
                  AJWT_ERR_INVALID_ARGUMENT, &err, "export format 1000");
    check(out == NULL, "nothing exported");
    ajwt_key_free(key);
    expect_status(ajwt_verifier_new(&verifier, &err), AJWT_OK, &err, "verifier");
    algs[0] = AJWT_ALG_EDDSA;
    algs[1] = (ajwt_alg)77;
    expect_status(ajwt_verifier_set_algorithms(verifier, algs, 2, &err), AJWT_ERR_INVALID_ARGUMENT, &err,
                  "algorithm list with 77");
    ajwt_verifier_free(verifier);
}

int main(void) {
    printf("libajwt %s (header %s)\n", ajwt_version(), AJWT_VERSION_STRING);
    check(ajwt_version_number() == AJWT_VERSION_NUMBER, "runtime version matches the header");
    check(strcmp(ajwt_version(), AJWT_VERSION_STRING) == 0, "version string matches the header");
    test_load();
    sign_and_verify(AJWT_KEY_ED25519, "Ed25519");
    sign_and_verify(AJWT_KEY_RSA, "RSA-2048");
    sign_and_verify(AJWT_KEY_EC_P256, "EC P-256");
    test_status_strings();
    test_out_of_range_enums();
    if (failures) {
        printf("%d check(s) failed\n", failures);
        return EXIT_FAILURE;
    }
    printf("all checks passed\n");
    return EXIT_SUCCESS;
}
