// @generated automatically by Diesel CLI.

diesel::table! {
    api_keys (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        name -> Text,
        key_prefix -> Text,
        key_hash -> Text,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        actor -> Text,
        action -> Text,
        target_tenant_id -> Nullable<Text>,
        detail -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    customers (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        phone -> Text,
        name -> Nullable<Text>,
        email -> Nullable<Text>,
        address -> Nullable<Text>,
        sms_opted_out -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    services (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        name -> Text,
        description -> Text,
        price_cents -> Int4,
        duration_minutes -> Int4,
        is_addon -> Bool,
        active -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sms_templates (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        template_key -> Text,
        body -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenant_billing (tenant_id) {
        tenant_id -> Text,
        stripe_customer_id -> Nullable<Text>,
        stripe_subscription_id -> Nullable<Text>,
        current_period_end -> Nullable<Timestamptz>,
        last_event_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenant_config (tenant_id) {
        tenant_id -> Text,
        branding -> Jsonb,
        business_hours -> Jsonb,
        service_area -> Jsonb,
        booking_rules -> Jsonb,
        owner_phone -> Nullable<Text>,
        owner_email -> Nullable<Text>,
        booking_url -> Nullable<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenant_phone_config (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        phone_number -> Text,
        messaging_service_sid -> Nullable<Text>,
        ivr_mode -> Text,
        sip_uri -> Nullable<Text>,
        forward_to -> Nullable<Text>,
        sip_username -> Nullable<Text>,
        sip_password_encrypted -> Nullable<Bytea>,
        twilio_account_sid -> Nullable<Text>,
        twilio_auth_token_encrypted -> Nullable<Bytea>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    tenants (id) {
        id -> Text,
        name -> Text,
        industry -> Text,
        plan_tier -> Text,
        status -> Text,
        trial_ends_at -> Nullable<Timestamptz>,
        time_zone -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(api_keys -> tenants (tenant_id));
diesel::joinable!(customers -> tenants (tenant_id));
diesel::joinable!(services -> tenants (tenant_id));
diesel::joinable!(sms_templates -> tenants (tenant_id));
diesel::joinable!(tenant_billing -> tenants (tenant_id));
diesel::joinable!(tenant_config -> tenants (tenant_id));
diesel::joinable!(tenant_phone_config -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    audit_log,
    customers,
    services,
    sms_templates,
    tenant_billing,
    tenant_config,
    tenant_phone_config,
    tenants,
);
