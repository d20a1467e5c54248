# Turns one text file into a C++ function returning its bytes, so the binary needs no file beside
# it. Arguments: INPUT (the file), OUTPUT (the .cpp), HEADER (what to #include), FUNCTION
# (a qualified name such as idpd::account::common_passwords_text).
file(READ ${INPUT} text)
string(FIND "${text}" ")idpd_text\"" clash)
if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )idpd_text\"")
endif()
file(WRITE ${OUTPUT}.tmp
"// Generated from ${INPUT} by scripts/embed_text.cmake. Do not edit.\n"
"#include \"${HEADER}\"\n\n"
"std::string_view ${FUNCTION}() {\n"
"    static constexpr std::string_view text = R\"idpd_text(${text})idpd_text\";\n"
"    return text;\n}\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
