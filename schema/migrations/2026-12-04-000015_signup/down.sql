DROP FUNCTION due_number_provisioning(INTEGER);
ALTER TABLE tenant_phone_config
    ADD CONSTRAINT tenant_phone_config_check CHECK (sip_uri IS NOT NULL OR forward_to IS NOT NULL) NOT VALID;
DROP TABLE number_provisioning;
DROP TABLE tenant_owners;
