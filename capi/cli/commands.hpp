// The ajwt subcommands: one function each, with its options and --help text.
#ifndef AJWT_CLI_COMMANDS_HPP
#define AJWT_CLI_COMMANDS_HPP

#include "args.hpp"

#include <vector>

namespace ajwt_cli {

struct Command {
    const char* name;
    const char* summary;  // one line for `ajwt --help`
    const char* help;     // the whole `ajwt NAME --help` text
    std::vector<OptionSpec> options;
    int (*run)(const Args& args);
};

// cmd_keys.cpp
Command keygen_command();
Command pubkey_command();
Command fingerprint_command();
Command jwk_command();
Command jwks_command();
// cmd_tokens.cpp
Command sign_command();
Command verify_command();

// Usage error unless the positional argument count is within [min, max].
void expect_positional(const Args& args, size_t min, size_t max, const char* what);

}  // namespace ajwt_cli

#endif
