# Fails unless every dynamic symbol the shared library defines is ajwt_* (the C ABI).
# Usage: cmake -DLIBRARY=/path/to/libajwt.so -P check_exports.cmake
if(NOT LIBRARY OR NOT EXISTS "${LIBRARY}")
  message(FATAL_ERROR "LIBRARY not given or missing: '${LIBRARY}'")
endif()
find_program(NM_PROGRAM NAMES nm llvm-nm REQUIRED)
execute_process(
  COMMAND ${NM_PROGRAM} -D --defined-only "${LIBRARY}"
  OUTPUT_VARIABLE nm_output
  ERROR_VARIABLE nm_error
  RESULT_VARIABLE nm_result)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "nm failed (${nm_result}): ${nm_error}")
endif()

# Symbols the linker itself may define in a shared object; not part of any ABI.
set(linker_symbols _init _fini __bss_start _edata _end)

string(REPLACE "\n" ";" lines "${nm_output}")
set(exported 0)
set(unexpected "")
foreach(line IN LISTS lines)
  # "<address> <type> <name>[@@version]"
  if(NOT line MATCHES "^[0-9a-fA-F]+ +([A-Za-z]) +([^ @]+)")
    continue()
  endif()
  set(type "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  if(type STREQUAL "A")  # version-node definitions such as AJWT_0
    continue()
  endif()
  if(name MATCHES "^ajwt_")
    math(EXPR exported "${exported} + 1")
  elseif(NOT name IN_LIST linker_symbols)
    list(APPEND unexpected "${line}")
  endif()
endforeach()

if(unexpected)
  list(JOIN unexpected "\n  " unexpected_text)
  message(FATAL_ERROR "symbols outside the ajwt_ prefix are exported from ${LIBRARY}:\n  ${unexpected_text}")
endif()
if(exported EQUAL 0)
  message(FATAL_ERROR "no ajwt_* symbol is exported from ${LIBRARY}")
endif()

# Every function ajwt.h declares is exported (a declared but unimplemented one would only
# show up when some program calls it).
set(header "${CMAKE_CURRENT_LIST_DIR}/../include/ajwt.h")
file(READ "${header}" header_text)
string(REGEX MATCHALL "AJWT_API[^;(]*[ *](ajwt_[a-z0-9_]+)\\(" declarations "${header_text}")
set(missing "")
set(declared 0)
foreach(declaration IN LISTS declarations)
  string(REGEX MATCH "(ajwt_[a-z0-9_]+)\\($" _ "${declaration}")
  set(function "${CMAKE_MATCH_1}")
  math(EXPR declared "${declared} + 1")
  if(NOT nm_output MATCHES "[0-9a-fA-F]+ T ${function}(@|\n|$)")
    list(APPEND missing "${function}")
  endif()
endforeach()
if(declared EQUAL 0)
  message(FATAL_ERROR "found no AJWT_API declarations in ${header}")
endif()
if(missing)
  message(FATAL_ERROR "declared in ajwt.h but not exported: ${missing}")
endif()
message(STATUS "${LIBRARY}: ${exported} ajwt_* symbols exported (all ${declared} declared functions), nothing else")
