-- 0008: the optional registration metadata of a client (logout URIs, private_key_jwt keys,
-- subject type, first-party, DPoP binding, RFC 7592 token) as one JSON object, read by
-- oidc/client.cpp; unknown members are ignored so rows stay readable across versions.
ALTER TABLE clients ADD COLUMN metadata LONGTEXT NOT NULL DEFAULT '{}';
