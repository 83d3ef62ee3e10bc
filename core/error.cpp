#include "error.hpp"

#include <openssl/err.h>

namespace ajwt {

void clear_openssl_errors() noexcept { ERR_clear_error(); }

void throw_openssl(const std::string& what) {
    std::string message = what;
    unsigned long code = ERR_get_error();
    if (code != 0) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        message += ": ";
        message += buffer;
    }
    ERR_clear_error();
    throw Error(AJWT_ERR_INTERNAL, message);
}

}  // namespace ajwt
