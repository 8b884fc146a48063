DROP TABLE IF EXISTS kb_entries;
DROP TABLE IF EXISTS appointments;
