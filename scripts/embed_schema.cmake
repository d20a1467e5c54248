# Turns schema/<dialect>/NNNN_name.sql into a C++ table, so the binary carries its migrations.
file(GLOB dialects RELATIVE ${SCHEMA_DIR} ${SCHEMA_DIR}/*)
set(body "")
foreach(dialect IN LISTS dialects)
    if(NOT IS_DIRECTORY ${SCHEMA_DIR}/${dialect})
        continue()
    endif()
    file(GLOB files RELATIVE ${SCHEMA_DIR}/${dialect} ${SCHEMA_DIR}/${dialect}/*.sql)
    list(SORT files)
    foreach(name IN LISTS files)
        file(READ ${SCHEMA_DIR}/${dialect}/${name} sql)
        string(APPEND body "    {\"${dialect}\", \"${name}\", R\"idpd_sql(${sql})idpd_sql\"},\n")
    endforeach()
endforeach()
file(WRITE ${OUTPUT}.tmp
"// Generated from schema/ by scripts/embed_schema.cmake. Do not edit.\n"
"#include \"store/schema_files.h\"\n\n"
"namespace idpd::store {\n\n"
"const std::vector<SchemaFile>& schema_files() {\n"
"    static const std::vector<SchemaFile> files{\n${body}    };\n"
"    return files;\n}\n\n}  // namespace idpd::store\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
