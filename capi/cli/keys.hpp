// Key files for the ajwt tool: loading (with passwords), exporting, fingerprints.
#ifndef AJWT_CLI_KEYS_HPP
#define AJWT_CLI_KEYS_HPP

#include "args.hpp"
#include "exit_status.hpp"
#include "io.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ajwt_cli {

using ajwt_cpp::Key;
using ajwt_cpp::KeySet;

// Where a password comes from. Never the command line itself: it would show in `ps` and in
// the shell history.
struct PasswordSource {
    std::optional<std::string> env;   // --password-env NAME
    std::optional<std::string> file;  // --password-file FILE
    bool prompt = false;              // --password-prompt (keygen) or asked when a key needs one
};

// `specs` plus --password-env / --password-file (and --password-prompt when `with_prompt`).
std::vector<OptionSpec> with_password_options(std::vector<OptionSpec> specs, bool with_prompt);
// At most one of them; a usage error otherwise.
PasswordSource password_source(const Args& args);
bool has_password(const PasswordSource& source);
// Reads the password. `what` names it in the prompt; `confirm` asks twice.
Secret obtain_password(const PasswordSource& source, const std::string& what, bool confirm);

// A private key file (PKCS#8, traditional PEM, OpenSSH). The password is read only when the
// key turns out to be encrypted: from `source`, else from a prompt on the terminal.
Key load_private_key_file(const std::string& path, const PasswordSource& source);
// A public key file (PEM, OpenSSH, JWK), refusing private keys.
Key load_public_key_file(const std::string& path);
// Either: private keys are recognised by their PEM label.
Key load_any_key_file(const std::string& path, const PasswordSource& source);
// A key file (as load_any_key_file, or public only) or a JWK Set file, added to `set`.
void add_key_file(KeySet& set, const std::string& path, const PasswordSource* source);

// Exports; `password` is for the PKCS#8 format only.
std::string export_key(const Key& key, ajwt_export_format format, const std::string& context,
                       const Secret* password = nullptr);
// The exported public text with a trailing newline, for --format pem|openssh|jwk.
std::string export_public(const Key& key, const std::string& format, const std::string& context);
std::string fingerprint(const Key& key, const std::string& context);

}  // namespace ajwt_cli

#endif
