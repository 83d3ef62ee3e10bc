#include "strict_json.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "error.hpp"

namespace ajwt {
namespace {

using nlohmann::json;

// Raised inside the parser callback to stop parsing at once.
struct JsonRefusal {
    std::string reason;
};

// Tracks member names per open object so a duplicate name aborts the parse
// (nlohmann would otherwise keep the last one silently: RFC 8725 §3.1 ambiguity).
class StrictnessGuard {
public:
    explicit StrictnessGuard(unsigned max_depth) : max_depth_(max_depth) {}

    bool operator()(int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
                check_depth(depth);
                names_.emplace_back();
                break;
            case json::parse_event_t::array_start:
                check_depth(depth);
                break;
            case json::parse_event_t::key: {
                const auto& name = parsed.get_ref<const std::string&>();
                if (!names_.back().insert(name).second) throw JsonRefusal{"duplicate member \"" + name + "\""};
                break;
            }
            case json::parse_event_t::object_end:
                names_.pop_back();
                break;
            default:
                break;
        }
        return true;
    }

private:
    void check_depth(int depth) const {
        if (depth >= static_cast<int>(max_depth_)) throw JsonRefusal{"nested too deeply"};
    }

    unsigned max_depth_;
    std::vector<std::set<std::string>> names_;
};

// More members than this and the O(n²) duplicate check of the scan would cost more than the
// DOM path's ordered sets: hand such objects to the DOM.
constexpr size_t kMaxFlatMembers = 32;
// Longer number literals (absurd precision) are left to the DOM path's strtod.
constexpr size_t kMaxFlatNumberSize = 64;

std::string size_message(const std::string& prefix, size_t max_size) {
    return prefix + "larger than " + std::to_string(max_size) + " bytes";
}

// Length of the valid UTF-8 sequence (RFC 3629: no overlongs, no surrogates, <= U+10FFFF)
// starting with the non-ASCII byte s[0]; 0 if invalid. The same table nlohmann's lexer checks.
size_t utf8_sequence_size(const unsigned char* s, size_t available) noexcept {
    auto in = [&](size_t i, unsigned lo, unsigned hi) { return i < available && s[i] >= lo && s[i] <= hi; };
    auto cont = [&](size_t i) { return in(i, 0x80, 0xBF); };
    const unsigned c = s[0];
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return in(1, 0xA0, 0xBF) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return in(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return in(1, 0x90, 0xBF) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return in(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Bytes that end a plain run inside a string: quote, backslash, control characters, non-ASCII.
constexpr std::array<bool, 256> make_string_stops() {
    std::array<bool, 256> stops{};
    for (int c = 0; c < 256; ++c) stops[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
    return stops;
}
constexpr std::array<bool, 256> kStringStops = make_string_stops();

// A single-pass scanner for objects whose values are all scalars. It accepts and refuses
// exactly what the DOM path does for such objects; where it is unsure it gives up (nullopt)
// and lets the DOM decide.
class FlatScanner {
public:
    FlatScanner(std::string_view text, ajwt_status on_error, const char* what)
        : p_(text.data()), end_(text.data() + text.size()), on_error_(on_error), what_(what) {}

    std::optional<std::vector<JsonMember>> scan() {
        skip_whitespace();
        if (p_ == end_ || *p_ != '{') return std::nullopt;  // arrays, scalars, a BOM, garbage
        ++p_;
        std::vector<JsonMember> members;
        members.reserve(8);
        skip_whitespace();
        if (p_ < end_ && *p_ == '}') {
            ++p_;
        } else {
            for (;;) {
                if (p_ == end_ || *p_ != '"') invalid();
                JsonMember member;
                parse_string(member.name);
                for (const auto& other : members)
                    if (other.name == member.name) refuse("duplicate member \"" + member.name + "\"");
                skip_whitespace();
                expect(':');
                skip_whitespace();
                if (!parse_scalar(member) || members.size() == kMaxFlatMembers) return std::nullopt;
                members.push_back(std::move(member));
                skip_whitespace();
                if (p_ < end_ && *p_ == ',') {
                    ++p_;
                    skip_whitespace();
                    continue;
                }
                expect('}');
                break;
            }
        }
        skip_whitespace();
        if (p_ != end_) invalid();
        return members;
    }

private:
    [[noreturn]] void refuse(const std::string& reason) const { throw Error(on_error_, std::string(what_) + ": " + reason); }
    [[noreturn]] void invalid() const { refuse("not valid JSON (or not valid UTF-8)"); }

    void skip_whitespace() noexcept {
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }

    void expect(char c) {
        if (p_ == end_ || *p_ != c) invalid();
        ++p_;
    }

    bool literal(const char* word, size_t size) {
        if (static_cast<size_t>(end_ - p_) < size || std::string_view(p_, size) != std::string_view(word, size))
            invalid();
        p_ += size;
        return true;
    }

    // A scalar value; false for a container (or a number left to the DOM path).
    bool parse_scalar(JsonMember& member) {
        if (p_ == end_) invalid();
        switch (*p_) {
            case '"': member.kind = JsonMember::Kind::String; parse_string(member.string); return true;
            case 't': member.kind = JsonMember::Kind::Bool; member.boolean = true; return literal("true", 4);
            case 'f': member.kind = JsonMember::Kind::Bool; return literal("false", 5);
            case 'n': member.kind = JsonMember::Kind::Null; return literal("null", 4);
            case '{': case '[': return false;
            default: return parse_number(member);
        }
    }

    static bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

    void digits() {
        if (p_ == end_ || !is_digit(*p_)) invalid();
        while (p_ < end_ && is_digit(*p_)) ++p_;
    }

    // RFC 8259 number grammar; integer literals within int64 are Integer, the rest Float.
    bool parse_number(JsonMember& member) {
        const char* start = p_;
        if (*p_ == '-') ++p_;
        if (p_ < end_ && *p_ == '0') ++p_;
        else digits();
        bool integer = true;
        if (p_ < end_ && *p_ == '.') {
            ++p_;
            digits();
            integer = false;
        }
        if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
            ++p_;
            if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
            digits();
            integer = false;
        }
        if (static_cast<size_t>(p_ - start) > kMaxFlatNumberSize) return false;
        if (integer) {
            int64_t value = 0;
            const auto result = std::from_chars(start, p_, value);
            if (result.ec == std::errc() && result.ptr == p_) {
                member.kind = JsonMember::Kind::Integer;
                member.integer = value;
                return true;
            }
        }
        // Locale-independent, correctly rounded like strtod; overflow/underflow go to the DOM.
        double value = 0;
        const auto result = std::from_chars(start, p_, value);
        if (result.ec != std::errc() || result.ptr != p_) return false;
        member.kind = JsonMember::Kind::Float;
        member.number = value;
        return true;
    }

    int hex_digit() {
        if (p_ == end_) invalid();
        const char c = *p_++;
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        invalid();
    }

    uint32_t hex4() {
        uint32_t value = 0;
        for (int i = 0; i < 4; ++i) value = (value << 4) | static_cast<uint32_t>(hex_digit());
        return value;
    }

    void parse_escape(std::string& out) {
        ++p_;  // the backslash
        if (p_ == end_) invalid();
        const char c = *p_++;
        switch (c) {
            case '"': out += '"'; return;
            case '\\': out += '\\'; return;
            case '/': out += '/'; return;
            case 'b': out += '\b'; return;
            case 'f': out += '\f'; return;
            case 'n': out += '\n'; return;
            case 'r': out += '\r'; return;
            case 't': out += '\t'; return;
            case 'u': break;
            default: invalid();
        }
        uint32_t cp = hex4();
        if (cp >= 0xDC00 && cp <= 0xDFFF) invalid();  // a lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            // A high surrogate must be followed by an escaped low one.
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') invalid();
            p_ += 2;
            const uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) invalid();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, cp);
    }

    // At the opening quote; decodes into `out`.
    void parse_string(std::string& out) {
        ++p_;
        for (;;) {
            const char* run = p_;
            while (p_ < end_ && !kStringStops[static_cast<unsigned char>(*p_)]) ++p_;
            out.append(run, static_cast<size_t>(p_ - run));
            if (p_ == end_) invalid();
            const auto c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                ++p_;
                return;
            }
            if (c == '\\') {
                parse_escape(out);
                continue;
            }
            if (c < 0x20) invalid();  // raw control characters must be escaped
            const size_t size = utf8_sequence_size(reinterpret_cast<const unsigned char*>(p_),
                                                   static_cast<size_t>(end_ - p_));
            if (size == 0) invalid();
            out.append(p_, size);
            p_ += size;
        }
    }

    const char* p_;
    const char* end_;
    ajwt_status on_error_;
    const char* what_;
};

}  // namespace

json parse_json_object(std::string_view text, const JsonLimits& limits, ajwt_status on_error, const char* what) {
    const std::string prefix = std::string(what) + ": ";
    if (text.size() > limits.max_size) throw Error(on_error, size_message(prefix, limits.max_size));
    // nlohmann's lexer takes a NUL byte for the end of input, so "{}\0garbage" would pass. A raw
    // NUL is never valid JSON (inside strings it must be escaped), so refuse it outright.
    if (text.find('\0') != std::string_view::npos) throw Error(on_error, prefix + "not valid JSON (NUL byte)");
    // nlohmann skips a UTF-8 byte order mark; RFC 8259 §8.1 forbids sending one, and accepting
    // it would give one JSON text two spellings.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") throw Error(on_error, prefix + "not valid JSON (byte order mark)");
    json value;
    try {
        StrictnessGuard guard(limits.max_depth);
        value = json::parse(text.begin(), text.end(), std::ref(guard), /*allow_exceptions=*/true,
                            /*ignore_comments=*/false);
    } catch (const JsonRefusal& refusal) {
        throw Error(on_error, prefix + refusal.reason);
    } catch (const json::exception&) {
        throw Error(on_error, prefix + "not valid JSON (or not valid UTF-8)");
    }
    if (!value.is_object()) throw Error(on_error, prefix + "not a JSON object");
    return value;
}

}  // namespace ajwt

namespace ajwt {

std::optional<std::vector<JsonMember>> scan_flat_json_object(std::string_view text, const JsonLimits& limits,
                                                             ajwt_status on_error, const char* what) {
    if (text.size() > limits.max_size) throw Error(on_error, size_message(std::string(what) + ": ", limits.max_size));
    if (limits.max_depth == 0) return std::nullopt;  // the DOM path reports the depth
    return FlatScanner(text, on_error, what).scan();
}

std::vector<JsonMember> json_object_members(const json& object) {
    std::vector<JsonMember> members;
    members.reserve(object.size());
    for (const auto& [name, value] : object.items()) {
        JsonMember member;
        member.name = name;
        switch (value.type()) {
            case json::value_t::string:
                member.kind = JsonMember::Kind::String;
                member.string = value.get<std::string>();
                break;
            case json::value_t::number_integer:
                member.kind = JsonMember::Kind::Integer;
                member.integer = value.get<int64_t>();
                break;
            case json::value_t::number_unsigned:
                if (value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
                    member.kind = JsonMember::Kind::Integer;
                    member.integer = value.get<int64_t>();
                } else {
                    member.kind = JsonMember::Kind::Float;
                    member.number = static_cast<double>(value.get<uint64_t>());
                }
                break;
            case json::value_t::number_float:
                member.kind = JsonMember::Kind::Float;
                member.number = value.get<double>();
                break;
            case json::value_t::boolean:
                member.kind = JsonMember::Kind::Bool;
                member.boolean = value.get<bool>();
                break;
            case json::value_t::null:
                member.kind = JsonMember::Kind::Null;
                break;
            default:
                member.kind = JsonMember::Kind::Container;
                member.container_empty = value.empty();
                break;
        }
        members.push_back(std::move(member));
    }
    return members;
}

std::vector<JsonMember> parse_json_members(std::string_view text, const JsonLimits& limits, ajwt_status on_error,
                                           const char* what) {
    if (auto members = scan_flat_json_object(text, limits, on_error, what)) return std::move(*members);
    return json_object_members(parse_json_object(text, limits, on_error, what));
}

}  // namespace ajwt
