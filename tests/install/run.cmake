# Installs the build tree into a scratch prefix, then configures, builds and runs a consumer
# project against it: once through find_package(ajwt) (shared and static targets), once
# through pkg-config.
#   cmake -DBUILD_DIR=<libajwt build> -DSOURCE_DIR=<this folder> -DWORK_DIR=<scratch> -P run.cmake
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "${var} is required")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${what} failed (${result}):\n${output}")
  endif()
  message(STATUS "${what}: ok")
  set(run_output "${output}" PARENT_SCOPE)
endfunction()

run("install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")

# Where the install put things (lib, lib64 or lib/<multiarch>).
file(GLOB_RECURSE config_files "${prefix}/*/ajwtConfig.cmake")
file(GLOB_RECURSE pc_files "${prefix}/*/pkgconfig/ajwt.pc")
file(GLOB_RECURSE shared_libs "${prefix}/*/libajwt.so")
foreach(list config_files pc_files shared_libs)
  list(LENGTH ${list} count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "expected exactly one match for ${list} under ${prefix}, found: ${${list}}")
  endif()
endforeach()
if(NOT EXISTS "${prefix}/include/ajwt.h")
  message(FATAL_ERROR "ajwt.h not installed in ${prefix}/include")
endif()
get_filename_component(pc_dir "${pc_files}" DIRECTORY)
get_filename_component(lib_dir "${shared_libs}" DIRECTORY)

# Only the public headers are installed (the C header and its header-only C++ API); no core
# header leaks into the include directory.
file(GLOB installed_headers RELATIVE "${prefix}/include" "${prefix}/include/*")
if(NOT installed_headers STREQUAL "ajwt.h;ajwt.hpp")
  message(FATAL_ERROR "unexpected files in ${prefix}/include: ${installed_headers}")
endif()

set(generator_args "")
find_program(NINJA_PROGRAM ninja)
if(NINJA_PROGRAM)
  set(generator_args -G Ninja)
endif()

# The consumer must see only this prefix: no user or system package registry, and a
# pkg-config search path that starts (and ends) with the prefix.
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
set(ENV{PKG_CONFIG_LIBDIR} "${pc_dir}:/usr/lib/x86_64-linux-gnu/pkgconfig:/usr/lib/pkgconfig:/usr/share/pkgconfig")
unset(ENV{CMAKE_PREFIX_PATH})
set(ENV{LD_LIBRARY_PATH} "${lib_dir}")

foreach(mode cmake pkgconfig)
  set(build "${WORK_DIR}/build-${mode}")
  # ajwt.pc is relocatable (prefix relative to ${pcfiledir}): no --define-variable needed.
  run("configure (${mode})" ${CMAKE_COMMAND} ${generator_args} -S "${SOURCE_DIR}/consumer" -B "${build}"
      -DAJWT_CONSUMER_MODE=${mode} -DAJWT_EXPECTED_PREFIX=${prefix} -DCMAKE_PREFIX_PATH=${prefix}
      -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
  run("build (${mode})" ${CMAKE_COMMAND} --build "${build}")
  set(programs consumer_shared consumer_static)
  foreach(program IN LISTS programs)
    run("run ${program} (${mode})" "${build}/${program}")
    message(STATUS "  ${run_output}")
  endforeach()
endforeach()

# The shared consumer really uses the installed shared library.
execute_process(COMMAND ldd "${WORK_DIR}/build-cmake/consumer_shared" OUTPUT_VARIABLE ldd_output)
string(FIND "${ldd_output}" "${lib_dir}/libajwt.so" found)
if(found EQUAL -1)
  message(FATAL_ERROR "consumer_shared does not load ${lib_dir}/libajwt.so:\n${ldd_output}")
endif()
# The static consumers carry libajwt inside: no libajwt.so among what they load.
foreach(mode cmake pkgconfig)
  execute_process(COMMAND ldd "${WORK_DIR}/build-${mode}/consumer_static" OUTPUT_VARIABLE ldd_output)
  string(FIND "${ldd_output}" "libajwt.so" found)
  if(NOT found EQUAL -1)
    message(FATAL_ERROR "consumer_static (${mode}) loads libajwt.so although it linked libajwt.a:\n${ldd_output}")
  endif()
endforeach()
message(STATUS "install consumer checks passed")
