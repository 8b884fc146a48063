ALTER TABLE messages DROP COLUMN media_urls;
