/* The smallest useful libajwt client: sign a token and verify it with the installed library. */
#include <stdio.h>
#include <string.h>

#include <ajwt.h>

#define CHECK(call)                                                                        \
    do {                                                                                   \
        ajwt_status status_ = (call);                                                      \
        if (status_ != AJWT_OK) {                                                          \
            fprintf(stderr, "%s failed: %s (%s)\n", #call, ajwt_status_str(status_), err.message); \
            return 1;                                                                      \
        }                                                                                  \
    } while (0)

int main(void) {
    ajwt_error err = {AJWT_OK, {0}};
    ajwt_key *key = NULL;
    ajwt_verifier *verifier = NULL;
    ajwt_token *token = NULL;
    char *text = NULL;
    size_t text_len = 0;
    int64_t now = ajwt_now();
    ajwt_status replay;
    ajwt_nonce_store *store = NULL;

    if (ajwt_version_number() != AJWT_VERSION_NUMBER || strcmp(ajwt_version(), AJWT_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s but library %s\n", AJWT_VERSION_STRING, ajwt_version());
        return 1;
    }
    CHECK(ajwt_key_generate(AJWT_KEY_ED25519, 0, 0, &key, &err));
    CHECK(ajwt_sign(key, "consumer", 8, now, "n1", 2, AJWT_ALG_UNKNOWN, &text, &text_len, &err));
    CHECK(ajwt_verifier_new(&verifier, &err));
    CHECK(ajwt_nonce_store_new_memory(0, 0, &store, &err));
    CHECK(ajwt_verifier_set_nonce_store(verifier, store, &err));
    CHECK(ajwt_verifier_parse(verifier, text, text_len, &token, &err));
    CHECK(ajwt_verify(verifier, token, key, now, &err));
    replay = ajwt_verify(verifier, token, key, now, &err);
    if (replay != AJWT_ERR_NONCE_REPLAYED) {
        fprintf(stderr, "expected a replay, got %s\n", ajwt_status_str(replay));
        return 1;
    }
    printf("libajwt %s: signed and verified a %lu-byte token; replay refused\n", ajwt_version(),
           (unsigned long)text_len);
    ajwt_token_free(token);
    ajwt_nonce_store_free(store);
    ajwt_verifier_free(verifier);
    ajwt_free(text);
    ajwt_key_free(key);
    return 0;
}
