-- The partner-app authorization dialog (issue 20): where a client may send a user back with an
-- authorization code, space-separated. A loopback URI (http://127.0.0.1/...) admits any port
-- (RFC 8252 §7.3), which is what every client may use until an operator registers its own.
ALTER TABLE client_credential ADD COLUMN redirect_uris VARCHAR(2000) DEFAULT 'http://127.0.0.1/callback' NOT NULL;
