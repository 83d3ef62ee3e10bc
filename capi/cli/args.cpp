#include "args.hpp"

#include "exit_status.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace ajwt_cli {

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = options_.find(name);
    if (it == options_.end()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Args::all(const std::string& name) const {
    auto it = options_.find(name);
    return it == options_.end() ? std::vector<std::string>() : it->second;
}

std::string Args::require(const std::string& name) const {
    auto value = get(name);
    if (!value) throw usage_error("missing required option --" + name);
    return *value;
}

namespace {

const OptionSpec* find_spec(const std::vector<OptionSpec>& specs, const std::string& name) {
    for (const auto& spec : specs)
        if (spec.name == name) return &spec;
    return nullptr;
}

}  // namespace

Args parse_args(const std::vector<OptionSpec>& specs, const std::vector<std::string>& argv) {
    Args args;
    bool options_done = false;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (options_done || arg == "-" || arg.rfind("-", 0) != 0) {
            args.add_positional(arg);
            continue;
        }
        if (arg == "--") {
            options_done = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            args.add("help", "");
            continue;
        }
        if (arg.rfind("--", 0) != 0) throw usage_error("unknown option '" + arg + "'");

        const size_t eq = arg.find('=');
        const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        const OptionSpec* spec = find_spec(specs, name);
        if (spec == nullptr) throw usage_error("unknown option '--" + name + "'");
        if (args.has(name) && !spec->repeatable) throw usage_error("option --" + name + " given twice");

        if (!spec->takes_value) {
            if (eq != std::string::npos) throw usage_error("option --" + name + " takes no value");
            args.add(name, "");
        } else if (eq != std::string::npos) {
            args.add(name, arg.substr(eq + 1));
        } else {
            if (i + 1 >= argv.size()) throw usage_error("option --" + name + " needs a value");
            args.add(name, argv[++i]);
        }
    }
    return args;
}

int64_t parse_int64(const std::string& text, const std::string& option) {
    const auto bad = [&] { return usage_error("--" + option + ": '" + text + "' is not an integer"); };
    if (text.empty() || text.find_first_not_of("+-0123456789") != std::string::npos) throw bad();
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno == ERANGE) throw usage_error("--" + option + ": '" + text + "' is out of range");
    if (end != text.c_str() + text.size()) throw bad();
    return static_cast<int64_t>(value);
}

unsigned parse_unsigned(const std::string& text, const std::string& option) {
    const int64_t value = parse_int64(text, option);
    if (value < 0 || value > static_cast<int64_t>(UINT_MAX))
        throw usage_error("--" + option + ": '" + text + "' is out of range");
    return static_cast<unsigned>(value);
}

}  // namespace ajwt_cli
