// ajwt — command-line tool over the libajwt C ABI: keys, JWKs, signing and verifying
// asymmetric-jwt-auth tokens.
#include "commands.hpp"
#include "exit_status.hpp"
#include "io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

namespace ajwt_cli {

void expect_positional(const Args& args, size_t min, size_t max, const char* what) {
    const size_t n = args.positional().size();
    if (n > max && max == 0) throw usage_error("unexpected argument '" + args.positional()[0] + "'");
    if (n < min || n > max) throw usage_error(std::string("expected ") + what);
}

namespace {

const char kExitStatusHelp[] =
    "Exit status: 0 success, 1 token rejected (verify), 2 usage error,\n"
    "3 I/O, key or other error.\n";

std::vector<Command> all_commands() {
    return {keygen_command(), pubkey_command(), fingerprint_command(), jwk_command(),
            jwks_command(),   sign_command(),   verify_command()};
}

const Command* find_command(const std::vector<Command>& commands, const std::string& name) {
    for (const auto& command : commands)
        if (name == command.name) return &command;
    return nullptr;
}

void print_main_help(std::FILE* out, const std::vector<Command>& commands) {
    std::fputs(
        "Usage: ajwt COMMAND [OPTIONS]\n"
        "       ajwt COMMAND --help\n"
        "       ajwt --version\n\n"
        "Keys, JWKs and tokens of the asymmetric-jwt-auth protocol (libajwt).\n\n"
        "Commands:\n",
        out);
    for (const auto& command : commands) std::fprintf(out, "  %-12s %s\n", command.name, command.summary);
    std::fprintf(out, "\n%s", kExitStatusHelp);
}

int run_command(const Command& command, const std::vector<std::string>& argv) {
    const std::string prefix = std::string("ajwt ") + command.name + ": ";
    try {
        const Args args = parse_args(command.options, argv);
        if (args.has("help")) {
            std::fputs(command.help, stdout);
            std::fprintf(stdout, "\n%s", kExitStatusHelp);
            return kExitOk;
        }
        return command.run(args);
    } catch (const CliError& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "%s%s\n", prefix.c_str(), printable(e.what()).c_str());
        if (e.code() == kExitUsage) std::fprintf(stderr, "Try 'ajwt %s --help'.\n", command.name);
        return e.code();
    } catch (const ajwt_cpp::Error& e) {  // a library failure no command gave a context
        std::fprintf(stderr, "%s%s\n", prefix.c_str(), printable(library_error(e, "").what()).c_str());
        return kExitFailure;
    } catch (const std::exception& e) {  // std::bad_alloc and the like
        std::fprintf(stderr, "%s%s\n", prefix.c_str(), printable(e.what()).c_str());
        return kExitFailure;
    }
}

// stdout is buffered: a full disk or closed pipe shows up only when it is flushed.
int finish(int status) {
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr, "ajwt: standard output: %s\n", std::strerror(errno));
        return status == kExitOk ? kExitFailure : status;
    }
    return status;
}

int run(int argc, char** argv) {
    const std::vector<Command> commands = all_commands();
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        print_main_help(stderr, commands);
        return kExitUsage;
    }
    const std::string& first = args[0];
    if (first == "--version" || first == "-V") {
        std::printf("ajwt %s\n", ajwt_cpp::version().c_str());
        return kExitOk;
    }
    if (first == "--help" || first == "-h") {
        print_main_help(stdout, commands);
        return kExitOk;
    }
    if (first == "help") {  // "ajwt help [COMMAND]"
        if (args.size() == 1) {
            print_main_help(stdout, commands);
            return kExitOk;
        }
        if (const Command* command = find_command(commands, args[1])) return run_command(*command, {"--help"});
    }
    const std::string name = first == "help" ? args[1] : first;
    const Command* command = find_command(commands, name);
    if (command == nullptr) {
        std::fprintf(stderr, "ajwt: unknown command '%s'\nTry 'ajwt --help'.\n", printable(name).c_str());
        return kExitUsage;
    }
    return run_command(*command, std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace
}  // namespace ajwt_cli

int main(int argc, char** argv) { return ajwt_cli::finish(ajwt_cli::run(argc, argv)); }
