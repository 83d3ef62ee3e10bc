// ajwt sign | verify
#include "commands.hpp"
#include "io.hpp"
#include "keys.hpp"

#include <cctype>
#include <cstdio>
#include <string>

namespace ajwt_cli {

namespace {

// Upstream's nonce: 8 random bytes, base64url (11 characters).
constexpr size_t kNonceBytes = 8;
constexpr const char *kDefaultMethod = "JWT";

ajwt_alg parse_alg(const Args &args) {
    const auto name = args.get("alg");
    if (!name) return AJWT_ALG_UNKNOWN;  // the key's preferred algorithm
    const ajwt_alg alg = ajwt_alg_from_name(name->data(), name->size());
    if (alg == AJWT_ALG_UNKNOWN) throw usage_error("--alg: unknown algorithm '" + *name + "'");
    return alg;
}

std::string sign_token(const ajwt_key *key, const std::string &user, int64_t time, const std::string &nonce,
                       ajwt_alg alg) {
    LibBytes token;
    ajwt_error err{};
    check(ajwt_sign(key, user.data(), user.size(), time, nonce.data(), nonce.size(), alg, token.out(),
                    token.out_len(), &err),
          err, "signing");
    return token.str();
}

std::string auth_header(const std::string &method, const std::string &token) {
    LibBytes header;
    ajwt_error err{};
    check(ajwt_auth_header(method.data(), method.size(), token.data(), token.size(), header.out(),
                           header.out_len(), &err),
          err, "--method", kExitUsage);
    return header.str();
}

int run_sign(const Args &args) {
    expect_positional(args, 0, 0, "");
    const std::string user = args.require("user");
    if (user.empty()) throw usage_error("--user: empty user name");
    const std::string key_path = args.require("key");
    const int64_t time = args.has("time") ? parse_int64(*args.get("time"), "time") : ajwt_now();
    const std::string nonce = args.has("nonce") ? *args.get("nonce") : base64url(random_bytes(kNonceBytes));
    if (nonce.empty()) throw usage_error("--nonce: empty nonce");
    const auto method = args.get("method");  // implies --header
    const ajwt_alg alg = parse_alg(args);
    const PasswordSource source = password_source(args);

    const Key key = load_private_key_file(key_path, source);
    if (alg != AJWT_ALG_UNKNOWN && !ajwt_key_supports_alg(key.get(), alg))
        throw usage_error("--alg: " + std::string(ajwt_alg_name(alg)) + " cannot be used with this key");
    const std::string token = sign_token(key.get(), user, time, nonce, alg);
    const bool header = args.has("header") || method;
    write_stdout((header ? auth_header(method.value_or(kDefaultMethod), token) : token) + "\n");
    return kExitOk;
}

// ---- verify ---------------------------------------------------------------------------

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string trim(const std::string &s) {
    size_t begin = 0, end = s.size();
    while (begin < end && is_space(s[begin])) ++begin;
    while (end > begin && is_space(s[end - 1])) --end;
    return s.substr(begin, end - begin);
}

bool iequals(const std::string &a, const std::string &b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

CliError rejected(ajwt_status status, const std::string &detail) {
    ajwt_error err{};
    err.status = status;
    std::snprintf(err.message, sizeof err.message, "%s", detail.c_str());
    return CliError(kExitRejected, "token rejected: " + describe(status, err));
}

// Standard input holds a token, "METHOD TOKEN", or a whole "Authorization: METHOD TOKEN"
// line; returns the token after checking the method word (case-insensitively).
std::string token_from_input(const std::string &input, const std::string &method) {
    std::string rest = trim(input);
    if (rest.empty()) throw rejected(AJWT_ERR_NO_AUTH_HEADER, "nothing on standard input");
    const auto first_word = [&] {
        size_t end = 0;
        while (end < rest.size() && !is_space(rest[end])) ++end;
        return end;
    };
    size_t end = first_word();
    if (end < rest.size() && iequals(rest.substr(0, end), "Authorization:")) {
        rest = trim(rest.substr(end));
        end = first_word();
    }
    if (end == rest.size()) return rest;  // a bare token
    const std::string word = rest.substr(0, end);
    if (!iequals(word, method)) throw rejected(AJWT_ERR_WRONG_AUTH_METHOD, "expected '" + method + "', got '" + word + "'");
    return trim(rest.substr(end));
}

Verifier make_verifier(const Args &args) {
    ajwt_verifier *raw = nullptr;
    ajwt_error err{};
    check(ajwt_verifier_new(&raw, &err), err, "verifier");
    Verifier verifier(raw);
    if (const auto tolerance = args.get("tolerance"))
        check(ajwt_verifier_set_tolerance(verifier.get(), parse_int64(*tolerance, "tolerance"), &err), err,
              "--tolerance", kExitUsage);
    return verifier;
}

KeySet load_public_keys(const std::vector<std::string> &paths) {
    ajwt_keyset *raw = nullptr;
    ajwt_error err{};
    check(ajwt_keyset_new(&raw, &err), err, "key set");
    KeySet set(raw);
    for (const std::string &path : paths) add_key_file(set.get(), path, nullptr);
    if (ajwt_keyset_count(set.get()) == 0) throw failure("no usable public key in the --pub files");
    return set;
}

int run_verify(const Args &args) {
    expect_positional(args, 0, 0, "");
    const std::vector<std::string> pubs = args.all("pub");
    if (pubs.empty()) throw usage_error("missing required option --pub");
    const int64_t now = args.has("now") ? parse_int64(*args.get("now"), "now") : ajwt_now();
    const Verifier verifier = make_verifier(args);
    const KeySet keys = load_public_keys(pubs);
    const std::string token_text = token_from_input(read_stdin(), args.get("method").value_or(kDefaultMethod));

    ajwt_error err{};
    ajwt_token *raw = nullptr;
    check(ajwt_verifier_parse(verifier.get(), token_text.data(), token_text.size(), &raw, &err), err,
          "token rejected", kExitRejected);
    const Token token(raw);
    check(ajwt_verify_keyset(verifier.get(), token.get(), keys.get(), now, nullptr, &err), err, "token rejected",
          kExitRejected);
    size_t len = 0;
    const char *user = ajwt_token_username(token.get(), &len);
    // The name is whatever the signer put in the token: never raw onto a terminal or into a log.
    write_stdout(printable(std::string(user, len)) + "\n");
    return kExitOk;
}

}  // namespace

Command sign_command() {
    return {"sign", "sign a token for a user",
            R"(Usage: ajwt sign --key FILE --user NAME [--header] [--method WORD]
                 [--time T] [--nonce N] [--alg ALG]
                 [--password-env NAME | --password-file FILE]

Prints a signed token {username, time, nonce} with the header {alg, typ, kid}, or with
--header the whole Authorization header value "JWT <token>".

Options:
  --key FILE            private key: PKCS#8 PEM (plain or encrypted), traditional PEM,
                        or OpenSSH (what ssh-keygen writes, with or without passphrase)
  --user NAME           the username claim (required)
  --header              print "JWT <token>" instead of the bare token
  --method WORD         the method word of --header (implies it); default JWT
  --time T              the time claim in Unix seconds; default now
  --nonce N             the nonce claim; default 8 random bytes in base64url
  --alg ALG             signing algorithm; default the key's first (RSA: RS512,
                        Ed25519/Ed448: EdDSA, P-256: ES256, P-384: ES384, P-521: ES512)
  --password-env NAME   password of an encrypted key from environment variable NAME
  --password-file FILE  password of an encrypted key from the first line of FILE
Without either, the password of an encrypted key is asked for on the terminal.
Passwords are never taken from the command line.
)",
            with_password_options({{"key", true}, {"user", true}, {"header", false}, {"method", true},
                                   {"time", true}, {"nonce", true}, {"alg", true}},
                                  false), run_sign};
}

Command verify_command() {
    return {"verify", "verify a token or Authorization header read from standard input",
            R"(Usage: ajwt verify --pub FILE [--pub FILE...] [--tolerance S] [--now T]
                   [--method WORD] < token

Reads a token, "JWT <token>" or "Authorization: JWT <token>" from standard input and
verifies it: signature with one of the public keys (the one whose fingerprint is the
token's kid first), then |time - now| <= tolerance. On success prints the username and
exits 0; otherwise prints why on standard error and exits 1. Nonces are not tracked:
replay protection needs a server's nonce store.

Options:
  --pub FILE            a public key (PEM, OpenSSH, JWK) or a JWK Set file; repeatable
  --tolerance S         allowed clock difference in seconds, 0..86400; default 20
  --now T               the current time in Unix seconds; default the system clock
  --method WORD         the expected method word of a header; default JWT
)",
            {{"pub", true, true}, {"tolerance", true}, {"now", true}, {"method", true}}, run_verify};
}

}  // namespace ajwt_cli
