// ajwt sign | verify
#include "commands.hpp"
#include "io.hpp"
#include "keys.hpp"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ajwt_cli {

using ajwt_cpp::Authenticator;
using ajwt_cpp::Verifier;

namespace {

ajwt_alg parse_alg(const Args& args) {
    const auto name = args.get("alg");
    if (!name) return AJWT_ALG_UNKNOWN;  // the key's preferred algorithm
    const ajwt_alg alg = ajwt_cpp::alg_from_name(*name);
    if (alg == AJWT_ALG_UNKNOWN) throw usage_error("--alg: unknown algorithm '" + *name + "'");
    return alg;
}

// The request binding options of sign/verify: --method-bound, --target, --body-file (and, for
// sign, --audience); each unset one is NULL to the library.
struct RequestOptions {
    std::optional<std::string> method, target, body_digest;

    explicit RequestOptions(const Args& args, const char* method_option)
        : method(args.get(method_option)), target(args.get("target")) {
        if (const auto body_file = args.get("body-file")) {
            const std::string body = read_file(*body_file);
            body_digest = in_context("--body-file", [&] { return ajwt_cpp::body_digest(body); });
        }
    }
};

std::string sign_token(const Key& key, const std::string& user, int64_t time, const std::string& nonce, ajwt_alg alg,
                       const RequestOptions& request, const std::optional<std::string>& audience) {
    try {
        return ajwt_cpp::sign_request(key, user, time, nonce, alg, request.method, request.target, request.body_digest,
                                      audience);
    } catch (const ajwt_cpp::Error& e) {
        // A bad --method-bound, --target or --audience is the command line's fault.
        throw library_error(e, "signing", e.status() == AJWT_ERR_INVALID_ARGUMENT ? kExitUsage : kExitFailure);
    }
}

int run_sign(const Args& args) {
    expect_positional(args, 0, 0, "");
    const std::string user = args.require("user");
    if (user.empty()) throw usage_error("--user: empty user name");
    const std::string key_path = args.require("key");
    const int64_t time = args.has("time") ? parse_int64(*args.get("time"), "time") : ajwt_cpp::now();
    const std::string nonce = args.has("nonce") ? *args.get("nonce") : in_context("nonce", ajwt_cpp::generate_nonce);
    if (nonce.empty()) throw usage_error("--nonce: empty nonce");
    const auto method = args.get("method");  // implies --header
    const ajwt_alg alg = parse_alg(args);
    const PasswordSource source = password_source(args);
    const RequestOptions request(args, "method-bound");
    const auto audience = args.get("audience");

    const Key key = load_private_key_file(key_path, source);
    if (alg != AJWT_ALG_UNKNOWN && !key.supports(alg))
        throw usage_error("--alg: " + ajwt_cpp::alg_name(alg) + " cannot be used with this key");
    const std::string token = sign_token(key, user, time, nonce, alg, request, audience);
    if (!args.has("header") && !method) {
        write_stdout(token + "\n");
        return kExitOk;
    }
    const std::optional<std::string_view> word = method ? std::optional<std::string_view>(*method) : std::nullopt;
    write_stdout(in_context(
                     "--method", [&] { return ajwt_cpp::auth_header(word, token); }, kExitUsage) +
                 "\n");
    return kExitOk;
}

// ---- verify ---------------------------------------------------------------------------

bool iequals_prefix(const std::string& text, const std::string& prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

// Standard input holds a token, "METHOD TOKEN", or a whole "Authorization: METHOD TOKEN"
// line; returns the Authorization header value for the authenticator, which alone splits it
// (the same rule as every server). Only the line end and the field name are taken off here,
// and a bare token (one word) gets the method word in front.
std::string header_from_input(std::string input, const std::optional<std::string>& method) {
    while (!input.empty() && (input.back() == '\n' || input.back() == '\r')) input.pop_back();
    static const std::string kFieldName = "authorization:";
    if (iequals_prefix(input, kFieldName)) input.erase(0, kFieldName.size());
    const bool bare_token = input.find_first_of(" \t") == std::string::npos;
    if (input.empty() || !bare_token) return input;
    const std::optional<std::string_view> word = method ? std::optional<std::string_view>(*method) : std::nullopt;
    return in_context(
        "--method", [&] { return ajwt_cpp::auth_header(word, input); }, kExitUsage);
}

ajwt_binding_policy parse_binding(const Args& args) {
    const std::string name = args.get("binding").value_or("off");
    if (name == "off") return AJWT_BINDING_OFF;
    if (name == "when-present") return AJWT_BINDING_WHEN_PRESENT;
    if (name == "required") return AJWT_BINDING_REQUIRED;
    throw usage_error("--binding: expected off, when-present or required, got '" + name + "'");
}

// The verification policy of the command line: tolerance and request binding.
Verifier make_verifier(const Args& args, ajwt_binding_policy binding) {
    Verifier verifier = in_context("verifier", [] { return Verifier(); });
    if (const auto tolerance = args.get("tolerance")) {
        const int64_t seconds = parse_int64(*tolerance, "tolerance");
        in_context(
            "--tolerance", [&] { verifier.set_tolerance(seconds); }, kExitUsage);
    }
    const auto audience = args.get("audience");
    if (binding == AJWT_BINDING_OFF) {
        if (audience || args.has("request-method") || args.has("target") || args.has("body-file"))
            throw usage_error("--audience, --request-method, --target and --body-file need --binding");
        return verifier;
    }
    in_context(
        "--binding", [&] { verifier.set_binding(binding); }, kExitUsage);
    if (audience)
        in_context(
            "--audience", [&] { verifier.set_audience(*audience); }, kExitUsage);
    return verifier;
}

KeySet load_public_keys(const std::vector<std::string>& paths) {
    KeySet set = in_context("key set", [] { return KeySet(); });
    for (const std::string& path : paths) add_key_file(set, path, nullptr);
    if (set.size() == 0) throw failure("no usable public key in the --pub files");
    return set;
}

// The authenticator's repository: every user has the --pub keys.
ajwt_status give_keys(void* user_data, const char*, size_t, const char*, size_t, ajwt_keyset* out) {
    const auto* keys = static_cast<const KeySet*>(user_data);
    for (size_t i = 0; i < keys->size(); ++i) {
        const ajwt_status status = ajwt_keyset_add(out, keys->borrow(i), nullptr);
        if (status != AJWT_OK) return status;
    }
    return AJWT_OK;
}

CliError rejected(const ajwt_cpp::Result& result) {
    // An empty header can only mean that standard input held nothing.
    const std::string detail = result.status == AJWT_ERR_NO_AUTH_HEADER ? "nothing on standard input" : result.message;
    return CliError(kExitRejected, "token rejected: " + describe(result.status, detail));
}

int run_verify(const Args& args) {
    expect_positional(args, 0, 0, "");
    const std::vector<std::string> pubs = args.all("pub");
    if (pubs.empty()) throw usage_error("missing required option --pub");
    const int64_t now = args.has("now") ? parse_int64(*args.get("now"), "now") : ajwt_cpp::now();
    const ajwt_binding_policy binding = parse_binding(args);  // a usage error before anything is read
    const Verifier verifier = make_verifier(args, binding);
    const std::optional<RequestOptions> request =
        binding == AJWT_BINDING_OFF ? std::nullopt
                                    : std::optional<RequestOptions>(RequestOptions(args, "request-method"));
    KeySet keys = load_public_keys(pubs);
    const auto method = args.get("method");
    Authenticator auth = in_context("authenticator", [&] { return Authenticator(verifier); });
    if (method)
        in_context(
            "--method", [&] { auth.set_method(*method); }, kExitUsage);
    in_context("authenticator", [&] { auth.set_user_keys(&give_keys, &keys); });

    const std::string header = header_from_input(read_stdin(), method);
    std::optional<ajwt_cpp::Token> token;
    const ajwt_cpp::Result result =
        request ? auth.authenticate_request(header, now, request->method, request->target, request->body_digest, &token)
                : auth.authenticate(header, now, &token);
    if (!result.ok()) throw rejected(result);
    // The name is whatever the signer put in the token: never raw onto a terminal or into a log.
    write_stdout(printable(token->username()) + "\n");
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
add claims that tie the token to one request and one service (docs/request-binding.md);
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
            with_password_options({{"key", true},
                                   {"user", true},
                                   {"header", false},
                                   {"method", true},
                                   {"time", true},
                                   {"nonce", true},
                                   {"alg", true},
                                   {"method-bound", true},
                                   {"target", true},
                                   {"body-file", true},
                                   {"audience", true}},
                                  false),
            run_sign};
}

Command verify_command() {
    return {"verify",
            "verify a token or Authorization header read from standard input",
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
