-- Sessions signed out before they expired: their token ids, kept until the token would have expired,
-- so that a copied cookie stops working at sign-out, across restarts.
CREATE TABLE session_revocation (
    jti        VARCHAR(64) PRIMARY KEY,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A partner signal's label names the rule set of its subject's country (EU, US, DEFAULT, ...), never
-- the country: rule-set ids are up to 16 characters.
ALTER TABLE partner_signal ALTER COLUMN jurisdiction SET DATA TYPE VARCHAR(16);
