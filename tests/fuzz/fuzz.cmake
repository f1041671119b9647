# SPDX-License-Identifier: GPL-3.0-or-later
# Fuzz targets, one per reader (see README.md here). Included from
# tests/CMakeLists.txt, so that they share the tests' precompiled header. With METAAUG_FUZZ (a
# clang sanitizer build, scripts/build-sanitize.sh) each is a libFuzzer
# program; otherwise each is built with regress_main.cpp and CTest replays
# its seed corpus and the inputs that once crashed (regressions/<target>).
set(METAAUG_FUZZ_TARGETS idx image torchscript onnx runbundle modelcard datasource graphwire)
foreach(t ${METAAUG_FUZZ_TARGETS})
  set(target fuzz_${t})
  if(METAAUG_FUZZ)
    add_executable(${target} fuzz/fuzz_${t}.cpp fuzz/fuzzinput.h)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
    # LLVMFuzzerMutate exists: custom mutators may call it (fuzz_torchscript's crc mode).
    target_compile_definitions(${target} PRIVATE METAAUG_LIBFUZZER)
    # -runs=0: replay the corpus and the regressions once, fuzz nothing.
    set(replay -runs=0)
  else()
    add_executable(${target} fuzz/fuzz_${t}.cpp fuzz/fuzzinput.h fuzz/regress_main.cpp)
    set(replay)
  endif()
  set(inputs ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${t})
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions/${t})
    list(APPEND inputs ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions/${t})
  endif()
  add_test(NAME ${target} COMMAND ${target} ${replay} ${inputs})
  set_tests_properties(${target} PROPERTIES LABELS "fuzz")
  set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz AUTOMOC OFF)
  target_link_libraries(${target} PRIVATE metaaug_core Qt6::Test metaaug_testsupport)
  if(METAAUG_USE_PCH AND NOT t STREQUAL "onnx")
    target_precompile_headers(${target} REUSE_FROM metaaug_test_pch)
  endif()
endforeach()

# The ONNX reader is the onnximport plugin's; the fuzzer compiles it in.
find_package(Protobuf REQUIRED)
find_package(ONNX REQUIRED)
target_sources(fuzz_onnx PRIVATE ${PROJECT_SOURCE_DIR}/plugins/onnximport/onnxreader.cpp
  ${PROJECT_SOURCE_DIR}/plugins/onnximport/onnxfolding.cpp ${PROJECT_SOURCE_DIR}/plugins/onnximport/onnxfusion.cpp)
target_include_directories(fuzz_onnx PRIVATE ${PROJECT_SOURCE_DIR}/plugins/onnximport)
target_link_libraries(fuzz_onnx PRIVATE onnx onnx_proto protobuf::libprotobuf)
# Without the shared precompiled header, Qt's `slots` macro would reach
# LibTorch's headers.
target_compile_definitions(fuzz_onnx PRIVATE QT_NO_KEYWORDS)
