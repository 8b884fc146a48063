-- How a tenant's AI receptionist sends audio to the provider: μ-law
-- pass-through, or PCM16 24 kHz transcoded by the media crate.
ALTER TABLE tenant_phone_config
    ADD COLUMN voice_audio TEXT NOT NULL DEFAULT 'pcmu' CHECK (voice_audio IN ('pcmu', 'pcm16'));
