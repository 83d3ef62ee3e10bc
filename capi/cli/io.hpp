// Files, standard streams, randomness and secrets for the ajwt tool.
#ifndef AJWT_CLI_IO_HPP
#define AJWT_CLI_IO_HPP

#include <cstddef>
#include <string>

namespace ajwt_cli {

// Input cap: keys, JWK Sets and tokens are far smaller; this stops `ajwt jwk /dev/zero`.
constexpr size_t kMaxInputSize = 1 << 20;

// A string that is wiped when it goes away (passwords, private key PEM).
class Secret {
public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
    Secret& operator=(Secret&& other) noexcept;
    Secret(const Secret&) = delete;
    Secret& operator=(const Secret&) = delete;
    ~Secret() { wipe(); }

    const std::string& str() const { return value_; }
    std::string& str() { return value_; }

private:
    void wipe() noexcept;
    std::string value_;
};

// Whole file ("-" = standard input), at most kMaxInputSize bytes; errors name the file.
std::string read_file(const std::string& path);
std::string read_stdin();

// Creates `path` with mode 0600 from the first byte on. Without `replace`, an existing file
// is an error; with it, the file is written beside it and renamed over it (atomic, and an
// old file's looser mode is not inherited).
void write_private_file(const std::string& path, const std::string& data, bool replace);
// An ordinary file (mode 0644 before umask); "-" = standard output.
void write_public_file(const std::string& path, const std::string& data, bool replace);
void write_stdout(const std::string& data);

// `text` made safe to show on a terminal or in a log: control characters (C0, DEL, C1),
// Unicode line/paragraph separators and bidirectional overrides become \xNN or \u{NNNN},
// bytes that are not UTF-8 become \xNN, and a backslash becomes \\ so the escaping cannot
// be forged. Everything a token or key file claims passes through it before it is printed.
std::string printable(const std::string& text);

// Reads one line from /dev/tty with echo off, after printing `prompt` there.
// Throws CliError when there is no terminal.
Secret prompt_password(const std::string& prompt);
// The first line of a file (without its line ending).
Secret read_password_file(const std::string& path);

}  // namespace ajwt_cli

#endif
