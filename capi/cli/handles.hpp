// RAII for the libajwt C handles and library-allocated bytes, plus the error type the
// ajwt tool throws. Only ajwt.h is used: the tool is a client of the public C ABI.
#ifndef AJWT_CLI_HANDLES_HPP
#define AJWT_CLI_HANDLES_HPP

#include <ajwt.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace ajwt_cli {

// Exit statuses of the tool; documented in --help and the README.
enum Exit : int {
    kExitOk = 0,
    kExitRejected = 1,  // the token did not verify
    kExitUsage = 2,     // bad command line
    kExitFailure = 3,   // I/O, key or library error
};

// Thrown by every helper; main() prints the message and exits with `code`.
class CliError : public std::runtime_error {
public:
    CliError(int code, const std::string &message) : std::runtime_error(message), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

inline CliError usage_error(const std::string &message) { return CliError(kExitUsage, message); }
inline CliError failure(const std::string &message) { return CliError(kExitFailure, message); }

template <typename T, void (*Free)(T *)>
struct HandleDeleter {
    void operator()(T *p) const { Free(p); }
};

using Key = std::unique_ptr<ajwt_key, HandleDeleter<ajwt_key, ajwt_key_free>>;
using KeySet = std::unique_ptr<ajwt_keyset, HandleDeleter<ajwt_keyset, ajwt_keyset_free>>;
using Token = std::unique_ptr<ajwt_token, HandleDeleter<ajwt_token, ajwt_token_free>>;
using Verifier = std::unique_ptr<ajwt_verifier, HandleDeleter<ajwt_verifier, ajwt_verifier_free>>;

// Bytes allocated by the library (char **out, size_t *out_len). `secret` ones (private key
// PEM) are wiped before they go back to the library.
class LibBytes {
public:
    explicit LibBytes(bool secret = false) : secret_(secret) {}
    LibBytes(const LibBytes &) = delete;
    LibBytes &operator=(const LibBytes &) = delete;
    ~LibBytes() {
        if (secret_ && ptr_ != nullptr) {
            volatile char *p = ptr_;
            for (size_t i = 0; i < len_; ++i) p[i] = 0;
        }
        ajwt_free(ptr_);
    }
    char **out() { return &ptr_; }
    size_t *out_len() { return &len_; }
    std::string str() const { return ptr_ == nullptr ? std::string() : std::string(ptr_, len_); }
    const char *data() const { return ptr_; }
    size_t size() const { return len_; }

private:
    char *ptr_ = nullptr;
    size_t len_ = 0;
    bool secret_;
};

// "status text: detail" from a failed call (the detail only when it adds something).
inline std::string describe(ajwt_status status, const ajwt_error &err) {
    std::string text = ajwt_status_str(status);
    const size_t n = strnlen(err.message, sizeof err.message);
    const std::string detail(err.message, n);
    if (!detail.empty() && detail != text) text += ": " + detail;
    return text;
}

// Throws CliError(code, "<context>: <status>: <detail>") when `status` is not AJWT_OK.
inline void check(ajwt_status status, const ajwt_error &err, const std::string &context,
                  int code = kExitFailure) {
    if (status == AJWT_OK) return;
    const std::string why = describe(status, err);
    throw CliError(code, context.empty() ? why : context + ": " + why);
}

}  // namespace ajwt_cli

#endif
