#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oidc/errors.h"

namespace idpd::oidc {

// The scope tokens of a space-delimited scope string, in order, without empty entries or
// repeats. Does not validate characters (see is_scope_token).
std::vector<std::string> split_scope(std::string_view text);

// The tokens joined by single spaces (RFC 6749 §3.3).
std::string join_scope(const std::vector<std::string>& scopes);

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
bool is_scope_token(std::string_view token);

// The scopes to grant for a request (RFC 6749 §3.3):
// - `requested` absent: everything `allowed` (the pre-defined default the RFC permits);
// - present: every token must be a valid scope-token and among `allowed`.
// Errors: invalid_scope, naming the first scope refused, or saying the parameter is malformed
// (RFC 6749 §5.2: "invalid, unknown, or malformed").
Result<std::vector<std::string>> resolve_scope(const std::optional<std::string>& requested,
                                               const std::vector<std::string>& allowed);

// The organization an organization scope names: `org:<id>` with a positive decimal id and
// nothing else; nullopt for any other scope. A token with one is organization-scoped.
std::optional<std::int64_t> org_scope_id(std::string_view scope);

// The organizations the scopes name (at most one in anything /authorize grants).
std::vector<std::int64_t> org_scope_ids(const std::vector<std::string>& scopes);

}  // namespace idpd::oidc
