// ajwt sign | verify
#include "commands.hpp"
#include "io.hpp"
#include "keys.hpp"

#include <array>
#include <cctype>
#include <optional>
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

using Digest = std::array<uint8_t, AJWT_BODY_DIGEST_SIZE>;

Digest body_digest_of_file(const std::string &path) {
    const std::string body = read_file(path);
    Digest digest{};
    ajwt_error err{};
    check(ajwt_body_digest(reinterpret_cast<const uint8_t *>(body.data()), body.size(), digest.data(), &err), err,
          "--body-file");
    return digest;
}

// The request binding options of sign/verify: --method-bound, --target, --body-file (and, for
// sign, --audience); each unset one is NULL to the library.
struct RequestOptions {
    std::optional<std::string> method, target;
    std::optional<Digest> body_digest;

    explicit RequestOptions(const Args &args, const char *method_option)
        : method(args.get(method_option)), target(args.get("target")) {
        if (const auto body_file = args.get("body-file")) body_digest = body_digest_of_file(*body_file);
    }
    const char *method_ptr() const { return method ? method->data() : nullptr; }
    size_t method_len() const { return method ? method->size() : 0; }
    const char *target_ptr() const { return target ? target->data() : nullptr; }
    size_t target_len() const { return target ? target->size() : 0; }
    const uint8_t *digest_ptr() const { return body_digest ? body_digest->data() : nullptr; }
};

std::string sign_token(const ajwt_key *key, const std::string &user, int64_t time, const std::string &nonce,
                       ajwt_alg alg, const RequestOptions &request, const std::optional<std::string> &audience) {
    LibBytes token;
    ajwt_error err{};
    const ajwt_status status =
        ajwt_sign_request(key, user.data(), user.size(), time, nonce.data(), nonce.size(), alg, request.method_ptr(),
                          request.method_len(), request.target_ptr(), request.target_len(), request.digest_ptr(),
                          audience ? audience->data() : nullptr, audience ? audience->size() : 0, token.out(),
                          token.out_len(), &err);
    // A bad --method-bound, --target or --audience is the command line's fault.
    check(status, err, "signing", status == AJWT_ERR_INVALID_ARGUMENT ? kExitUsage : kExitFailure);
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
    const RequestOptions request(args, "method-bound");
    const auto audience = args.get("audience");

    const Key key = load_private_key_file(key_path, source);
    if (alg != AJWT_ALG_UNKNOWN && !ajwt_key_supports_alg(key.get(), alg))
        throw usage_error("--alg: " + std::string(ajwt_alg_name(alg)) + " cannot be used with this key");
    const std::string token = sign_token(key.get(), user, time, nonce, alg, request, audience);
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

ajwt_binding_policy parse_binding(const Args &args) {
    const std::string name = args.get("binding").value_or("off");
    if (name == "off") return AJWT_BINDING_OFF;
    if (name == "when-present") return AJWT_BINDING_WHEN_PRESENT;
    if (name == "required") return AJWT_BINDING_REQUIRED;
    throw usage_error("--binding: expected off, when-present or required, got '" + name + "'");
}

// The request-binding step, after the signature and time checks of `verifier` passed.
void check_binding(const Args &args, const Token &token) {
    const ajwt_binding_policy policy = parse_binding(args);
    const auto audience = args.get("audience");
    if (policy == AJWT_BINDING_OFF) {
        if (audience || args.has("request-method") || args.has("target") || args.has("body-file"))
            throw usage_error("--audience, --request-method, --target and --body-file need --binding");
        return;
    }
    const RequestOptions request(args, "request-method");
    ajwt_verifier *raw = nullptr;
    ajwt_error err{};
    check(ajwt_verifier_new(&raw, &err), err, "verifier");
    const Verifier binding(raw);
    check(ajwt_verifier_set_binding(binding.get(), policy, &err), err, "--binding", kExitUsage);
    if (audience)
        check(ajwt_verifier_set_audience(binding.get(), audience->data(), audience->size(), &err), err, "--audience",
              kExitUsage);
    check(ajwt_check_request_binding(binding.get(), token.get(), request.method_ptr(), request.method_len(),
                                     request.target_ptr(), request.target_len(), request.digest_ptr(), &err),
          err, "token rejected", kExitRejected);
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
    parse_binding(args);  // a usage error before anything is read
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
    check_binding(args, token);
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
                 [--method-bound HTTP-METHOD] [--target PATH] [--body-file FILE]
                 [--audience NAME] [--password-env NAME | --password-file FILE]

Prints a signed token {username, time, nonce} with the header {alg, typ, kid}, or with
--header the whole Authorization header value "JWT <token>". The request binding options
add claims that tie the token to one request and one service (README "Request binding");
servers that do not check them (asymmetric-jwt-auth 1.x) ignore them.

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
  --method-bound M      bind the HTTP method (ajwt_method claim, upper-cased)
  --target PATH         bind the request target: path and query, or an absolute URL
                        (ajwt_target claim, in canonical form)
  --body-file FILE      bind the SHA-256 of the body bytes as sent (ajwt_body claim);
                        /dev/null for a request without a body
  --audience NAME       the service the token is for (ajwt_aud claim)
  --password-env NAME   password of an encrypted key from environment variable NAME
  --password-file FILE  password of an encrypted key from the first line of FILE
Without either, the password of an encrypted key is asked for on the terminal.
Passwords are never taken from the command line.
)",
            with_password_options({{"key", true}, {"user", true}, {"header", false}, {"method", true},
                                   {"time", true}, {"nonce", true}, {"alg", true}, {"method-bound", true},
                                   {"target", true}, {"body-file", true}, {"audience", true}},
                                  false), run_sign};
}

Command verify_command() {
    return {"verify", "verify a token or Authorization header read from standard input",
            R"(Usage: ajwt verify --pub FILE [--pub FILE...] [--tolerance S] [--now T]
                   [--method WORD] [--binding POLICY [--audience NAME]
                   [--request-method M] [--target PATH] [--body-file FILE]] < token

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
  --binding POLICY      request binding: off (default; bound claims ignored),
                        when-present (each bound claim must match the request below),
                        required (method, target and body must be bound, and the
                        audience when --audience is given)
  --audience NAME       this service's name, compared with the ajwt_aud claim
  --request-method M    the request's HTTP method
  --target PATH         the request's target (path and query, or absolute URL)
  --body-file FILE      the request's body bytes as received
A bound claim whose request part is not given is refused (exit 1).
)",
            {{"pub", true, true},
             {"tolerance", true},
             {"now", true},
             {"method", true},
             {"binding", true},
             {"audience", true},
             {"request-method", true},
             {"target", true},
             {"body-file", true}},
            run_verify};
}

}  // namespace ajwt_cli
