// The tool's exit statuses and the exception that carries one to main(). Library failures
// arrive as ajwt_cpp::Error (ajwt.hpp) and are given an exit status here.
#ifndef AJWT_CLI_EXIT_STATUS_HPP
#define AJWT_CLI_EXIT_STATUS_HPP

#include <ajwt.hpp>

#include <stdexcept>
#include <string>

namespace ajwt_cli {

// Exit statuses of the tool; documented in --help and docs/cli.md.
enum Exit : int {
    kExitOk = 0,
    kExitRejected = 1,  // the token did not verify
    kExitUsage = 2,     // bad command line
    kExitFailure = 3,   // I/O, key or library error
};

// Thrown by every helper; main() prints the message and exits with `code`.
class CliError : public std::runtime_error {
public:
    CliError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

inline CliError usage_error(const std::string& message) { return CliError(kExitUsage, message); }
inline CliError failure(const std::string& message) { return CliError(kExitFailure, message); }

// "status text: detail" (the detail only when it adds something).
inline std::string describe(ajwt_status status, const std::string& detail) {
    std::string text = ajwt_status_str(status);
    if (!detail.empty() && detail != text) text += ": " + detail;
    return text;
}

// CliError(code, "<context>: <status text>: <detail>") for a library failure.
inline CliError library_error(const ajwt_cpp::Error& e, const std::string& context, int code = kExitFailure) {
    const std::string why = describe(e.status(), e.what());
    return CliError(code, context.empty() ? why : context + ": " + why);
}

// Runs `body`, giving a library failure `context` and the exit status `code`.
template <typename Body>
auto in_context(const std::string& context, Body&& body, int code = kExitFailure) -> decltype(body()) {
    try {
        return body();
    } catch (const ajwt_cpp::Error& e) {
        throw library_error(e, context, code);
    }
}

}  // namespace ajwt_cli

#endif
