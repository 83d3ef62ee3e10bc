// The status an ajwt::Error carries out of a core call, AJWT_OK when nothing is thrown.
#pragma once

#include "ajwt.h"
#include "error.hpp"

namespace ajwt_test {

template <typename F>
ajwt_status status_of(F&& f) {
    try {
        f();
    } catch (const ajwt::Error& e) {
        return e.status();
    }
    return AJWT_OK;
}

}  // namespace ajwt_test
