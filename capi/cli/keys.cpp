#include "keys.hpp"
#include "io.hpp"

#include <cstdio>
#include <cstdlib>

namespace ajwt_cli {

std::vector<OptionSpec> with_password_options(std::vector<OptionSpec> specs, bool with_prompt) {
    specs.push_back({"password-env", true});
    specs.push_back({"password-file", true});
    if (with_prompt) specs.push_back({"password-prompt", false});
    return specs;
}

PasswordSource password_source(const Args &args) {
    PasswordSource source;
    source.env = args.get("password-env");
    source.file = args.get("password-file");
    source.prompt = args.has("password-prompt");
    const int given = (source.env ? 1 : 0) + (source.file ? 1 : 0) + (source.prompt ? 1 : 0);
    if (given > 1) throw usage_error("give at most one of --password-env, --password-file, --password-prompt");
    return source;
}

bool has_password(const PasswordSource &source) { return source.env || source.file || source.prompt; }

Secret obtain_password(const PasswordSource &source, const std::string &what, bool confirm) {
    if (source.env) {
        const char *value = std::getenv(source.env->c_str());
        if (value == nullptr) throw failure("environment variable " + *source.env + " is not set");
        return Secret(value);
    }
    if (source.file) return read_password_file(*source.file);
    Secret password = prompt_password("Password for " + what + ": ");
    if (confirm) {
        const Secret again = prompt_password("Repeat the password: ");
        if (again.str() != password.str()) throw failure("the passwords do not match");
    }
    return password;
}

namespace {

ajwt_status try_load_private(const std::string &text, const Secret *password, Key &out, ajwt_error &err) {
    ajwt_key *key = nullptr;
    const ajwt_status status =
        ajwt_key_load_private(text.data(), text.size(), password ? password->str().data() : nullptr,
                              password ? password->str().size() : 0, &key, &err);
    out.reset(key);
    return status;
}

bool looks_private(const std::string &text) { return text.find("PRIVATE KEY-----") != std::string::npos; }

Key load_private_key_text(const Secret &text, const std::string &name, const PasswordSource &source) {
    Key key;
    ajwt_error err{};
    ajwt_status status = try_load_private(text.str(), nullptr, key, err);
    if (status == AJWT_ERR_PASSWORD_REQUIRED) {
        const Secret password = obtain_password(source, name, false);
        err = ajwt_error{};
        status = try_load_private(text.str(), &password, key, err);
    }
    check(status, err, name);
    return key;
}

Key load_public_key_text(const std::string &text, const std::string &name) {
    ajwt_key *key = nullptr;
    ajwt_error err{};
    check(ajwt_key_load_public(text.data(), text.size(), AJWT_FORMAT_ANY, &key, &err), err, name);
    return Key(key);
}

Key load_any_key_text(const Secret &text, const std::string &name, const PasswordSource &source) {
    if (looks_private(text.str())) return load_private_key_text(text, name, source);
    return load_public_key_text(text.str(), name);
}

// Members of a JWK Set that libajwt could not use are skipped; say so rather than drop
// them silently.
void warn_skipped(const ajwt_keyset *set, size_t before, const std::string &name) {
    for (size_t i = before; i < ajwt_keyset_skipped_count(set); ++i)
        std::fprintf(stderr, "ajwt: warning: %s: skipped a key: %s\n", printable(name).c_str(),
                     printable(ajwt_keyset_skipped_reason(set, i)).c_str());
}

}  // namespace

Key load_private_key_file(const std::string &path, const PasswordSource &source) {
    return load_private_key_text(Secret(read_file(path)), path, source);
}

Key load_public_key_file(const std::string &path) { return load_public_key_text(read_file(path), path); }

Key load_any_key_file(const std::string &path, const PasswordSource &source) {
    return load_any_key_text(Secret(read_file(path)), path, source);
}

void add_key_file(ajwt_keyset *set, const std::string &path, const PasswordSource *source) {
    const Secret text(read_file(path));
    ajwt_error err{};
    if (text.str().find("\"keys\"") != std::string::npos) {  // a JWK Set; a single JWK has no "keys"
        const size_t skipped_before = ajwt_keyset_skipped_count(set);
        check(ajwt_keyset_add_jwks(set, text.str().data(), text.str().size(), &err), err, path);
        warn_skipped(set, skipped_before, path);
        return;
    }
    const Key key = source != nullptr ? load_any_key_text(text, path, *source) : load_public_key_text(text.str(), path);
    ajwt_key *pub = nullptr;
    check(ajwt_key_public(key.get(), &pub, &err), err, path);
    const Key public_key(pub);
    const std::string kid = fingerprint(public_key.get(), path);
    if (ajwt_keyset_find(set, kid.data(), kid.size()) != nullptr) {
        std::fprintf(stderr, "ajwt: warning: %s: the same key as an earlier file; skipped\n", path.c_str());
        return;
    }
    check(ajwt_keyset_add(set, public_key.get(), &err), err, path);
}

std::string export_key(const ajwt_key *key, ajwt_export_format format, const std::string &context,
                       const Secret *password) {
    LibBytes out(format == AJWT_EXPORT_PRIVATE_PKCS8);
    ajwt_error err{};
    check(ajwt_key_export(key, format, password ? password->str().data() : nullptr,
                          password ? password->str().size() : 0, out.out(), out.out_len(), &err),
          err, context);
    return out.str();
}

std::string export_public(const ajwt_key *key, const std::string &format, const std::string &context) {
    ajwt_export_format fmt;
    if (format == "pem")
        fmt = AJWT_EXPORT_PUBLIC_PEM;
    else if (format == "openssh")
        fmt = AJWT_EXPORT_PUBLIC_OPENSSH;
    else if (format == "jwk")
        fmt = AJWT_EXPORT_PUBLIC_JWK;
    else
        throw usage_error("--format: '" + format + "' is not one of pem, openssh, jwk");
    std::string text = export_key(key, fmt, context);
    if (text.empty() || text.back() != '\n') text += '\n';
    return text;
}

std::string fingerprint(const ajwt_key *key, const std::string &context) {
    char out[AJWT_FINGERPRINT_SIZE] = {};
    ajwt_error err{};
    check(ajwt_key_fingerprint(key, out, &err), err, context);
    return out;
}

}  // namespace ajwt_cli
