#include "openssl_ptr.hpp"

#include <climits>
#include <string>

#include "error.hpp"

namespace ajwt {

BioPtr memory_bio(const void* data, size_t size) {
    if (size > INT_MAX) throw Error(AJWT_ERR_INVALID_ARGUMENT, "input too large");
    BioPtr bio(BIO_new_mem_buf(data, static_cast<int>(size)));
    if (!bio) throw Error(AJWT_ERR_OUT_OF_MEMORY, "BIO_new_mem_buf failed");
    return bio;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    return std::string(data, size > 0 ? static_cast<size_t>(size) : 0);
}

}  // namespace ajwt
