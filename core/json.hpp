// Strict JSON parsing of untrusted input: size and depth caps, duplicate members refused,
// valid UTF-8 only, top level must be an object.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "ajwt.h"

namespace ajwt {

struct JsonLimits {
    size_t max_size = 64 * 1024;
    unsigned max_depth = 16;
};

// Throws Error(on_error, "<what>: <reason>") for anything but a well-formed object within limits.
nlohmann::json parse_json_object(std::string_view text, const JsonLimits& limits, ajwt_status on_error,
                                 const char* what);

}  // namespace ajwt
