#include "io.hpp"

#include "exit_status.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <iterator>

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace ajwt_cli {

Secret& Secret::operator=(Secret&& other) noexcept {
    if (this != &other) {
        wipe();
        value_ = std::move(other.value_);
        other.wipe();
    }
    return *this;
}

void Secret::wipe() noexcept {
    volatile char* p = value_.data();
    for (size_t i = 0; i < value_.size(); ++i) p[i] = 0;
    value_.clear();
}

namespace {

std::string errno_text() { return std::strerror(errno); }

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    // Closes now so that its error can be reported (NFS reports write errors at close).
    int close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

private:
    int fd_;
};

std::string read_fd(int fd, const std::string& name) {
    std::string data;
    char buf[8192];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            throw failure(name + ": " + errno_text());
        }
        data.append(buf, static_cast<size_t>(n));
        if (data.size() > kMaxInputSize)
            throw failure(name + ": larger than " + std::to_string(kMaxInputSize) + " bytes");
    }
    return data;
}

void write_fd(int fd, const char* data, size_t size, const std::string& name) {
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw failure(name + ": " + errno_text());
        }
        done += static_cast<size_t>(n);
    }
}

// Writes, syncs and closes, so that a reported success means the bytes are on disk.
void finish_file(Fd& fd, const std::string& data, const std::string& name) {
    write_fd(fd.get(), data.data(), data.size(), name);
    if (::fsync(fd.get()) != 0 && errno != EINVAL) throw failure(name + ": " + errno_text());
    if (fd.close() != 0) throw failure(name + ": " + errno_text());
}

// O_EXCL: never follows a symlink planted at `path`, never reuses an existing file's mode.
void write_new_file(const std::string& path, const std::string& data, mode_t mode) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
    if (fd.get() < 0) {
        if (errno == EEXIST) throw failure(path + ": already exists (use --force to replace it)");
        throw failure(path + ": " + errno_text());
    }
    try {
        finish_file(fd, data, path);
    } catch (...) {
        ::unlink(path.c_str());
        throw;
    }
}

// mkstemp creates the file with mode 0600 beside `path` (same filesystem, so the rename is
// atomic): the old file is never truncated and reused with its possibly looser mode.
void replace_private_file(const std::string& path, const std::string& data) {
    std::string tmp = path + ".XXXXXX";
    Fd fd(::mkstemp(tmp.data()));
    if (fd.get() < 0) throw failure(path + ": " + errno_text());
    try {
        finish_file(fd, data, path);
        if (::rename(tmp.c_str(), path.c_str()) != 0) throw failure(path + ": " + errno_text());
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

}  // namespace

std::string read_file(const std::string& path) {
    if (path == "-") return read_stdin();
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throw failure(path + ": " + errno_text());
    struct stat st {};
    if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode)) throw failure(path + ": is a directory");
    return read_fd(fd.get(), path);
}

std::string read_stdin() { return read_fd(STDIN_FILENO, "standard input"); }

void write_private_file(const std::string& path, const std::string& data, bool replace) {
    if (replace)
        replace_private_file(path, data);
    else
        write_new_file(path, data, 0600);
}

void write_public_file(const std::string& path, const std::string& data, bool replace) {
    if (path == "-") return write_stdout(data);
    if (!replace) return write_new_file(path, data, 0644);
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) throw failure(path + ": " + errno_text());
    finish_file(fd, data, path);
}

void write_stdout(const std::string& data) {
    if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size())
        throw failure("standard output: " + errno_text());
}

// ---- password prompt ------------------------------------------------------------------

namespace {

// The terminal state to restore if a signal arrives while echo is off.
int g_tty_fd = -1;
struct termios g_tty_saved;
const int kRestoreSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

extern "C" void restore_tty_and_reraise(int sig) {
    if (g_tty_fd >= 0) ::tcsetattr(g_tty_fd, TCSANOW, &g_tty_saved);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

// Echo off for its lifetime; restored on scope exit and on the signals above.
class EchoOff {
public:
    explicit EchoOff(int fd) : fd_(fd) {
        if (::tcgetattr(fd, &saved_) != 0) throw failure("/dev/tty: " + errno_text());
        g_tty_saved = saved_;
        g_tty_fd = fd;
        for (size_t i = 0; i < std::size(kRestoreSignals); ++i) {
            struct sigaction sa {};
            sa.sa_handler = restore_tty_and_reraise;
            sigemptyset(&sa.sa_mask);
            ::sigaction(kRestoreSignals[i], &sa, &old_actions_[i]);
        }
        struct termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        if (::tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
            const std::string why = errno_text();
            restore_signals();
            throw failure("/dev/tty: " + why);
        }
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;
    ~EchoOff() {
        ::tcsetattr(fd_, TCSANOW, &saved_);
        restore_signals();
    }

private:
    void restore_signals() {
        for (size_t i = 0; i < std::size(kRestoreSignals); ++i)
            ::sigaction(kRestoreSignals[i], &old_actions_[i], nullptr);
        g_tty_fd = -1;
    }

    int fd_;
    struct termios saved_ {};
    struct sigaction old_actions_[std::size(kRestoreSignals)]{};
};

constexpr size_t kMaxPasswordSize = 1024;

}  // namespace

Secret prompt_password(const std::string& prompt) {
    Fd tty(::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
    if (tty.get() < 0) throw failure("no terminal to ask for the password on (use --password-env or --password-file)");
    Secret password;
    password.str().reserve(kMaxPasswordSize + 1);  // no reallocation: no unwiped copies
    {
        // Echo off before the prompt shows: an answer typed after it is never echoed, and
        // the flush only drops what was typed ahead (and maybe echoed) before it.
        EchoOff quiet(tty.get());
        write_fd(tty.get(), prompt.data(), prompt.size(), "/dev/tty");
        for (;;) {
            char c = 0;
            const ssize_t n = ::read(tty.get(), &c, 1);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw failure("/dev/tty: " + errno_text());
            if (n == 0 || c == '\n') break;
            if (password.str().size() == kMaxPasswordSize) throw failure("password too long");
            password.str().push_back(c);
        }
    }
    write_fd(tty.get(), "\n", 1, "/dev/tty");  // the user's Enter was not echoed
    if (!password.str().empty() && password.str().back() == '\r') password.str().pop_back();
    return password;
}

Secret read_password_file(const std::string& path) {
    Secret contents(read_file(path));
    const size_t end = contents.str().find('\n');
    Secret password(contents.str().substr(0, end));
    if (!password.str().empty() && password.str().back() == '\r') password.str().pop_back();
    return password;
}

}  // namespace ajwt_cli

namespace ajwt_cli {
namespace {

// Length of the UTF-8 sequence at text[i] and its code point; 0 when it is not well-formed
// (overlong forms, surrogates and values above U+10FFFF included).
size_t utf8_sequence(const std::string& text, size_t i, uint32_t& code_point) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    size_t length;
    uint32_t min;
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    } else if ((lead & 0xe0) == 0xc0) {
        length = 2, min = 0x80, code_point = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
        length = 3, min = 0x800, code_point = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
        length = 4, min = 0x10000, code_point = lead & 0x07;
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    for (size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
        code_point = (code_point << 6) | (byte(i + k) & 0x3f);
    }
    if (code_point < min || code_point > 0x10ffff || (code_point >= 0xd800 && code_point <= 0xdfff)) return 0;
    return length;
}

// Code points a terminal acts on or that reorder or break what is shown.
bool is_control(uint32_t c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0x200e || c == 0x200f ||
           (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

}  // namespace

std::string printable(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    char escape[16];
    for (size_t i = 0; i < text.size();) {
        uint32_t code_point = 0;
        const size_t length = utf8_sequence(text, i, code_point);
        if (length == 0) {
            std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned char>(text[i]));
            out += escape;
            ++i;
            continue;
        }
        if (code_point == '\\') {
            out += "\\\\";
        } else if (is_control(code_point)) {
            if (code_point < 0x80)
                std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned>(code_point));
            else
                std::snprintf(escape, sizeof escape, "\\u{%04x}", static_cast<unsigned>(code_point));
            out += escape;
        } else {
            out.append(text, i, length);
        }
        i += length;
    }
    return out;
}

}  // namespace ajwt_cli
