-- Data exports (issue 18, item 5): one row per export job. The zip itself lives
-- on disk (`{exports dir}/{id}.zip`); the row says how far the job is. At most
-- one running export per tenant: the partial unique index is what turns a second
-- concurrent start into a conflict (HTTP 409).
CREATE TABLE data_exports (
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    -- 32 lowercase hex digits (128 random bits); also the file's name.
    id TEXT NOT NULL CHECK (id ~ '^[0-9a-f]{32}$'),
    include_recordings BOOLEAN NOT NULL,
    state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
    progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX data_exports_one_running ON data_exports (tenant_id) WHERE state = 'running';
SELECT servicepro_enable_tenant_rls('data_exports');
