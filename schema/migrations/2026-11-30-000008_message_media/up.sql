-- The pictures (and other attachments) of an MMS, as the carrier's media
-- URLs (Twilio's MediaUrl0..N), so the owner sees what the customer sent.
ALTER TABLE messages
    ADD COLUMN media_urls TEXT[] NOT NULL DEFAULT '{}';
