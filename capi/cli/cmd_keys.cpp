// ajwt keygen | pubkey | fingerprint | jwk | jwks
#include "commands.hpp"
#include "keys.hpp"

#include <cstdint>
#include <string>

namespace ajwt_cli {

namespace {

constexpr unsigned kMinRsaBits = 2048;
constexpr unsigned kMaxRsaBits = 8192;

ajwt_key_type parse_key_type(const std::string& name) {
    if (name == "rsa") return AJWT_KEY_RSA;
    if (name == "ed25519") return AJWT_KEY_ED25519;
    if (name == "ed448") return AJWT_KEY_ED448;
    if (name == "p256") return AJWT_KEY_EC_P256;
    if (name == "p384") return AJWT_KEY_EC_P384;
    if (name == "p521") return AJWT_KEY_EC_P521;
    throw usage_error("--type: '" + name + "' is not one of rsa, ed25519, ed448, p256, p384, p521");
}

unsigned parse_rsa_bits(const Args& args, ajwt_key_type type) {
    const auto text = args.get("bits");
    if (!text) return 0;  // the library default, 2048
    if (type != AJWT_KEY_RSA) throw usage_error("--bits is for --type rsa only");
    const unsigned bits = parse_unsigned(*text, "bits");
    if (bits < kMinRsaBits || bits > kMaxRsaBits) throw usage_error("--bits: must be 2048..8192");
    return bits;
}

bool is_printable(const std::string& text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) return false;
    }
    return true;
}

// An OpenSSH line "type base64 [comment]" with its comment replaced.
std::string with_comment(const std::string& line, const std::string& comment) {
    const size_t first = line.find(' ');
    const size_t second = first == std::string::npos ? first : line.find_first_of(" \n", first + 1);
    return line.substr(0, second) + " " + comment + "\n";
}

Key generate(ajwt_key_type type, unsigned bits) {
    return in_context("key generation", [&] { return Key::generate(type, bits); });
}

int run_keygen(const Args& args) {
    expect_positional(args, 0, 0, "");
    const ajwt_key_type type = parse_key_type(args.get("type").value_or("ed25519"));
    const unsigned bits = parse_rsa_bits(args, type);
    const std::string out = args.require("out");
    const std::string format = args.get("format").value_or("pem");
    const auto comment = args.get("comment");
    if (comment && format != "openssh") throw usage_error("--comment is for --format openssh only");
    if (comment && !is_printable(*comment)) throw usage_error("--comment: control characters are not allowed");
    const PasswordSource source = password_source(args);
    const bool force = args.has("force");

    const Key key = generate(type, bits);
    Secret password;
    if (has_password(source)) {
        password = obtain_password(source, out, true);
        if (password.str().empty()) throw usage_error("empty password (leave out --password-* for a plain key)");
    }
    // Export both halves before writing anything, so that a failure leaves no files behind.
    std::string pub = export_public(key, format, "public key");
    if (comment) pub = with_comment(pub, *comment);
    const Secret priv(
        export_key(key, AJWT_EXPORT_PRIVATE_PKCS8, "private key", has_password(source) ? &password : nullptr));

    write_private_file(out, priv.str(), force);
    if (const auto pub_out = args.get("pub-out"))
        write_public_file(*pub_out, pub, force);
    else
        write_stdout(pub);
    return kExitOk;
}

int run_pubkey(const Args& args) {
    expect_positional(args, 1, 1, "one key file");
    const std::string& path = args.positional()[0];
    const Key key = load_any_key_file(path, password_source(args));
    write_stdout(export_public(key, args.get("format").value_or("pem"), path));
    return kExitOk;
}

int run_fingerprint(const Args& args) {
    expect_positional(args, 1, SIZE_MAX, "at least one key file");
    const PasswordSource source = password_source(args);
    const bool several = args.positional().size() > 1;
    for (const std::string& path : args.positional()) {
        const Key key = load_any_key_file(path, source);
        // Like sha256sum: the file name only when there are several.
        write_stdout(fingerprint(key, path) + (several ? "  " + path : std::string()) + "\n");
    }
    return kExitOk;
}

int run_jwk(const Args& args) {
    expect_positional(args, 1, 1, "one key file");
    const std::string& path = args.positional()[0];
    const Key key = load_any_key_file(path, password_source(args));
    write_stdout(export_public(key, "jwk", path));
    return kExitOk;
}

int run_jwks(const Args& args) {
    expect_positional(args, 1, SIZE_MAX, "at least one key file");
    const PasswordSource source = password_source(args);
    KeySet set = in_context("key set", [] { return KeySet(); });
    for (const std::string& path : args.positional()) add_key_file(set, path, &source);

    std::string text = in_context("JWK Set", [&] { return set.to_jwks(); });
    if (text.empty() || text.back() != '\n') text += '\n';
    write_stdout(text);
    return kExitOk;
}

}  // namespace

Command keygen_command() {
    return {"keygen", "generate a key pair",
            R"(Usage: ajwt keygen --out FILE [--type TYPE] [--bits N] [--format pem|openssh|jwk]
                   [--comment TEXT] [--pub-out FILE] [--force]
                   [--password-prompt | --password-env NAME | --password-file FILE]

Generates a key pair. The private key is written to FILE as PKCS#8 PEM, created with
mode 0600; it is encrypted (AES-256-CBC, PBKDF2) when a password is given. The public
key goes to standard output, or to --pub-out FILE.

Options:
  --out FILE            where to write the private key (required)
  --type TYPE           rsa, ed25519 (default), ed448, p256, p384 or p521
  --bits N              RSA modulus size, 2048 (default) .. 8192
  --format FMT          public key format: pem (default), openssh or jwk
  --comment TEXT        comment at the end of an OpenSSH public key
  --pub-out FILE        write the public key to FILE instead of standard output
  --force               replace existing files (atomically; the new private key file
                        never inherits the old file's mode)
  --password-prompt     ask for a password on the terminal (twice)
  --password-env NAME   take the password from environment variable NAME
  --password-file FILE  take the password from the first line of FILE
)",
            with_password_options({{"out", true},
                                   {"type", true},
                                   {"bits", true},
                                   {"format", true},
                                   {"comment", true},
                                   {"pub-out", true},
                                   {"force", false}},
                                  true),
            run_keygen};
}

Command pubkey_command() {
    return {"pubkey", "print the public half of a key",
            R"(Usage: ajwt pubkey FILE [--format pem|openssh|jwk]
                   [--password-env NAME | --password-file FILE]

Prints the public key of a private key file (or converts a public key file).
Private keys: PKCS#8 PEM (plain or encrypted), traditional PEM ("RSA PRIVATE KEY",
"EC PRIVATE KEY"), OpenSSH ("OPENSSH PRIVATE KEY", plain or encrypted). Public keys: PEM
SubjectPublicKeyInfo, PEM PKCS#1, OpenSSH, JWK. FILE "-" is standard input.

Options:
  --format FMT          pem (default, the fingerprinted SPKI text), openssh or jwk
  --password-env NAME   password of an encrypted key from environment variable NAME
  --password-file FILE  password of an encrypted key from the first line of FILE
Without either, the password of an encrypted key is asked for on the terminal.
)",
            with_password_options({{"format", true}}, false), run_pubkey};
}

Command fingerprint_command() {
    return {"fingerprint", "print key fingerprints (the token kid)",
            R"(Usage: ajwt fingerprint FILE... [--password-env NAME | --password-file FILE]

Prints the fingerprint of each public or private key file: the lowercase hex SHA-256
of the key's canonical PEM SubjectPublicKeyInfo text, the "kid" of the tokens it signs.
With several files, each line is "FINGERPRINT  FILE".

Options:
  --password-env NAME   password of encrypted keys from environment variable NAME
  --password-file FILE  password of encrypted keys from the first line of FILE
)",
            with_password_options({}, false), run_fingerprint};
}

Command jwk_command() {
    return {"jwk", "print a key as a JSON Web Key",
            R"(Usage: ajwt jwk FILE [--password-env NAME | --password-file FILE]

Prints the public JSON Web Key (RFC 7517) of a public or private key file, as
asymmetric-jwt-auth 1.x publishes it: kty, use "sig", alg, kid and the key members.

Options:
  --password-env NAME   password of an encrypted key from environment variable NAME
  --password-file FILE  password of an encrypted key from the first line of FILE
)",
            with_password_options({}, false), run_jwk};
}

Command jwks_command() {
    return {"jwks", "print a JWK Set of several keys",
            R"(Usage: ajwt jwks FILE... [--password-env NAME | --password-file FILE]

Prints a JWK Set ({"keys": [...]}) with the public keys of all FILEs: public or
private key files, or JWK Set files whose members are merged in (members libajwt
cannot use are skipped with a warning). This is what a client publishes at the JWKS
URL a server trusts.

Options:
  --password-env NAME   password of encrypted keys from environment variable NAME
  --password-file FILE  password of encrypted keys from the first line of FILE
)",
            with_password_options({}, false), run_jwks};
}

}  // namespace ajwt_cli
