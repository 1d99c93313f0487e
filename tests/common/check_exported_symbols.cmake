# cmake -DBINARY=<executable> -DSYMBOLS=a;b -P check_exported_symbols.cmake
# Fails unless every symbol in SYMBOLS is defined (T) in BINARY's dynamic symbol table (`nm -D --defined-only`).
# Why: common/deflate_level.cpp defines zlib's deflateInit_/deflateInit2_ in the executable so that libharu and
# minizip (shared libraries) call them; that works only while the executable exports them. The linker exports them
# today because those libraries reference them; a change of link flags (-Wl,--exclude-libs, a version script,
# static zlib, …) would drop them and silently restore zlib's default level everywhere.
if(NOT BINARY OR NOT SYMBOLS)
  message(FATAL_ERROR "usage: cmake -DBINARY=<executable> -DSYMBOLS=a;b -P check_exported_symbols.cmake")
endif()
execute_process(COMMAND nm -D --defined-only "${BINARY}" OUTPUT_VARIABLE table RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D ${BINARY} failed (${rc})")
endif()
set(missing "")
foreach(symbol IN LISTS SYMBOLS)
  if(NOT table MATCHES "[0-9a-f]+ T ${symbol}\n")
    list(APPEND missing ${symbol})
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "${BINARY} does not export ${missing}: libharu and minizip would bypass "
                      "common/deflate_level.cpp and compress at zlib's default level")
endif()
message(STATUS "${BINARY} exports ${SYMBOLS}")
