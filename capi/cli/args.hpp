// A tiny command-line parser: long options only ("--name value", "--name=value"), flags,
// repeatable options, positional arguments, "--" to end options, "-h" for "--help".
#ifndef AJWT_CLI_ARGS_HPP
#define AJWT_CLI_ARGS_HPP

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ajwt_cli {

struct OptionSpec {
    std::string name;          // without the leading "--"
    bool takes_value = false;  // false: a flag
    bool repeatable = false;
};

class Args {
public:
    bool has(const std::string& name) const { return options_.count(name) != 0; }
    // The value of a single-valued option, if given.
    std::optional<std::string> get(const std::string& name) const;
    // Every value of a repeatable option, in order (empty if not given).
    std::vector<std::string> all(const std::string& name) const;
    // The value of a required option; a usage error when missing.
    std::string require(const std::string& name) const;
    const std::vector<std::string>& positional() const { return positional_; }

    void add(const std::string& name, std::string value) { options_[name].push_back(std::move(value)); }
    void add_positional(std::string value) { positional_.push_back(std::move(value)); }

private:
    std::map<std::string, std::vector<std::string>> options_;
    std::vector<std::string> positional_;
};

// Parses argv (without the program and subcommand names). "--help" is always accepted.
// Throws CliError(kExitUsage) for unknown options, missing values, repeated single options.
Args parse_args(const std::vector<OptionSpec>& specs, const std::vector<std::string>& argv);

// Strict decimal integers (whole text, no overflow); usage errors name the option.
int64_t parse_int64(const std::string& text, const std::string& option);
unsigned parse_unsigned(const std::string& text, const std::string& option);

}  // namespace ajwt_cli

#endif
