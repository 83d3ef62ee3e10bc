// Typed exceptions of the core. The C boundary (capi/) catches them and returns their status.
#pragma once

#include <stdexcept>
#include <string>

#include "ajwt.h"

namespace ajwt {

// Every failure in the core is an Error carrying the stable C status code.
class Error : public std::runtime_error {
public:
    Error(ajwt_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    ajwt_status status() const noexcept { return status_; }

private:
    ajwt_status status_;
};

// Key text that is not a usable key (parse, type, size, password).
class KeyError : public Error {
    using Error::Error;
};

// A token that is malformed or fails verification.
class TokenError : public Error {
    using Error::Error;
};

// A host callback reported failure.
class CallbackError : public Error {
    using Error::Error;
};

// An OpenSSL call failed for a reason that is not the input's fault. Appends OpenSSL's
// error queue text to `what` and clears the queue.
[[noreturn]] void throw_openssl(const std::string& what);

// Clears OpenSSL's thread error queue so an expected failure leaves nothing behind.
void clear_openssl_errors() noexcept;

}  // namespace ajwt
