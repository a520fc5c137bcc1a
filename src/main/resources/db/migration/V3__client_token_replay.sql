-- The jti of every accepted client JWT (CDS Hooks §Trusting CDS Clients), kept until its token expires, so that a
-- token replayed to any replica sharing this database is refused. Portable SQL (H2 and PostgreSQL).
-- token_key is the SHA-256 (hex) of issuer and jti: bounded, and no client-chosen text is stored.
CREATE TABLE client_token_use (
    token_key  VARCHAR(64)              PRIMARY KEY,
    keep_until TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX client_token_use_keep_until ON client_token_use (keep_until);
