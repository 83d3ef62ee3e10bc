#include "keys.hpp"
#include "io.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

namespace ajwt_cli {

std::vector<OptionSpec> with_password_options(std::vector<OptionSpec> specs, bool with_prompt) {
    specs.push_back({"password-env", true});
    specs.push_back({"password-file", true});
    if (with_prompt) specs.push_back({"password-prompt", false});
    return specs;
}

PasswordSource password_source(const Args& args) {
    PasswordSource source;
    source.env = args.get("password-env");
    source.file = args.get("password-file");
    source.prompt = args.has("password-prompt");
    const int given = (source.env ? 1 : 0) + (source.file ? 1 : 0) + (source.prompt ? 1 : 0);
    if (given > 1) throw usage_error("give at most one of --password-env, --password-file, --password-prompt");
    return source;
}

bool has_password(const PasswordSource& source) { return source.env || source.file || source.prompt; }

Secret obtain_password(const PasswordSource& source, const std::string& what, bool confirm) {
    if (source.env) {
        const char* value = std::getenv(source.env->c_str());
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

bool looks_private(const std::string& text) { return text.find("PRIVATE KEY-----") != std::string::npos; }

Key load_private_key_text(const Secret& text, const std::string& name, const PasswordSource& source) {
    return in_context(name, [&] {
        try {
            return Key::load_private(text.str());
        } catch (const ajwt_cpp::Error& e) {
            if (e.status() != AJWT_ERR_PASSWORD_REQUIRED) throw;
        }
        const Secret password = obtain_password(source, name, false);
        return Key::load_private(text.str(), std::string_view(password.str()));
    });
}

Key load_public_key_text(const std::string& text, const std::string& name) {
    return in_context(name, [&] { return Key::load_public(text); });
}

Key load_any_key_text(const Secret& text, const std::string& name, const PasswordSource& source) {
    if (looks_private(text.str())) return load_private_key_text(text, name, source);
    return load_public_key_text(text.str(), name);
}

// Members of a JWK Set that libajwt could not use are skipped; say so rather than drop
// them silently.
void warn_skipped(const KeySet& set, size_t before, const std::string& name) {
    const std::vector<std::string> reasons = set.skipped();
    for (size_t i = before; i < reasons.size(); ++i)
        std::fprintf(stderr, "ajwt: warning: %s: skipped a key: %s\n", printable(name).c_str(),
                     printable(reasons[i]).c_str());
}

}  // namespace

Key load_private_key_file(const std::string& path, const PasswordSource& source) {
    return load_private_key_text(Secret(read_file(path)), path, source);
}

Key load_public_key_file(const std::string& path) { return load_public_key_text(read_file(path), path); }

Key load_any_key_file(const std::string& path, const PasswordSource& source) {
    return load_any_key_text(Secret(read_file(path)), path, source);
}

void add_key_file(KeySet& set, const std::string& path, const PasswordSource* source) {
    const Secret text(read_file(path));
    if (text.str().find("\"keys\"") != std::string::npos) {  // a JWK Set; a single JWK has no "keys"
        const size_t skipped_before = set.skipped().size();
        in_context(path, [&] { set.add_jwks(text.str()); });
        warn_skipped(set, skipped_before, path);
        return;
    }
    const Key key = source != nullptr ? load_any_key_text(text, path, *source) : load_public_key_text(text.str(), path);
    const Key public_key = in_context(path, [&] { return key.public_key(); });
    if (set.find(fingerprint(public_key, path))) {
        std::fprintf(stderr, "ajwt: warning: %s: the same key as an earlier file; skipped\n", path.c_str());
        return;
    }
    in_context(path, [&] { set.add(public_key); });
}

std::string export_key(const Key& key, ajwt_export_format format, const std::string& context, const Secret* password) {
    return in_context(context, [&] {
        return key.export_as(format, password ? std::optional<std::string_view>(password->str()) : std::nullopt);
    });
}

std::string export_public(const Key& key, const std::string& format, const std::string& context) {
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

std::string fingerprint(const Key& key, const std::string& context) {
    return in_context(context, [&] { return key.fingerprint(); });
}

}  // namespace ajwt_cli
