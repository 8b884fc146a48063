DROP FUNCTION root_session_revoke(TEXT);
DROP FUNCTION root_session_touch(TEXT);
DROP FUNCTION root_session_create(TEXT, TEXT, INTEGER);
DROP FUNCTION owner_sign_in_lookup(TEXT);
DROP TABLE web_sign_in_links;
DROP TABLE web_sessions;
