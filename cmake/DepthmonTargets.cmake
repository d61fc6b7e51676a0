# Helpers that give every depthmon target the same standard, warnings and sanitizers without
# touching global flags.

function(depthmon_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wconversion
      -Wno-sign-conversion)
    if(DEPTHMON_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
  if(DEPTHMON_SANITIZE)
    string(REPLACE ";" "," _san "${DEPTHMON_SANITIZE}")
    # Every sanitizer report is fatal, so fuzzers and tests cannot step over one.
    target_compile_options(${target} PRIVATE -fsanitize=${_san} -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
    target_link_options(${target} PUBLIC -fsanitize=${_san})
  endif()
endfunction()

# depthmon_add_module(NAME core SOURCES a.cpp ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Declares the static library depthmon_<name> with alias depthmon::<name>. The dependency
# direction of DESIGN.md is written here: PUBLIC only for what the module's headers expose.
function(depthmon_add_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(target depthmon_${M_NAME})
  add_library(${target} STATIC ${M_SOURCES})
  add_library(depthmon::${M_NAME} ALIAS ${target})
  # Headers are included as "<module>/<file>.hpp" relative to lib/.
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/lib>)
  target_link_libraries(${target} PUBLIC ${M_PUBLIC_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  depthmon_target_defaults(${target})
endfunction()

# simdjson's on-demand API is inline code compiled for the target chosen at *our* compile time;
# without an ISA flag it falls back to the slow portable kernel. Use the Haswell kernel (AVX2,
# BMI, CLMUL) when the build machine runs it; DEPTHMON_SIMD_ARCH="" disables this.
include(CheckCXXSourceRuns)
set(CMAKE_REQUIRED_FLAGS "-march=haswell")
check_cxx_source_runs("
  int main() { __builtin_cpu_init();
    return (__builtin_cpu_supports(\"avx2\") && __builtin_cpu_supports(\"bmi2\") &&
            __builtin_cpu_supports(\"pclmul\")) ? 0 : 1; }" DEPTHMON_HOST_HAS_HASWELL)
unset(CMAKE_REQUIRED_FLAGS)
if(DEPTHMON_HOST_HAS_HASWELL)
  set(DEPTHMON_SIMD_ARCH "haswell" CACHE STRING "-march for JSON parsing and depth walks (empty: portable)")
else()
  set(DEPTHMON_SIMD_ARCH "" CACHE STRING "-march for JSON parsing and depth walks (empty: portable)")
endif()

# Applied to targets that run simdjson on-demand (codecs, parse benchmarks, fuzzers) and to the
# depth calculator (bit-scanning walks over the book's tick window, lib/depth/CMakeLists.txt).
function(depthmon_simd_target target)
  if(DEPTHMON_SIMD_ARCH)
    target_compile_options(${target} PRIVATE -march=${DEPTHMON_SIMD_ARCH})
  endif()
endfunction()
