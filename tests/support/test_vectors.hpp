// Shared test vectors (tests/vectors/): compat facts of asymmetric-jwt-auth 1.x and Wycheproof.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace ajwt_test {

inline std::string read_vector_file(const std::string& relative_path) {
    std::ifstream in(std::string(AJWT_VECTORS_DIR) + "/" + relative_path, std::ios::binary);
    if (!in) throw std::runtime_error("missing test vector file " + relative_path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline const nlohmann::json& compat_vectors() {
    static const nlohmann::json vectors =
        nlohmann::json::parse(read_vector_file("compat/asymmetric-jwt-auth-1.x.json"));
    return vectors;
}

inline nlohmann::json wycheproof(const std::string& file) {
    return nlohmann::json::parse(read_vector_file("wycheproof/" + file));
}

}  // namespace ajwt_test
