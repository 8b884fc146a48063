ALTER TABLE conversations DROP CONSTRAINT conversations_one_party;
DELETE FROM conversations WHERE visitor_id IS NOT NULL;
ALTER TABLE conversations DROP COLUMN visitor_id;
ALTER TABLE conversations ALTER COLUMN customer_id SET NOT NULL;
DROP INDEX IF EXISTS messages_chat_codes;
DROP TABLE web_verification_codes;
DROP TABLE web_visitors;
