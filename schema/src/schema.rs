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
    appointments (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        customer_id -> Int8,
        service_id -> Int8,
        addon_ids -> Array<Nullable<Int8>>,
        crew -> Int2,
        starts_at -> Timestamptz,
        ends_at -> Timestamptz,
        busy_until -> Timestamptz,
        status -> Text,
        price_cents -> Int4,
        address -> Nullable<Text>,
        details -> Jsonb,
        conversation_id -> Nullable<Int8>,
        channel -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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
    calls (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        call_sid -> Text,
        direction -> Text,
        from_number -> Text,
        to_number -> Text,
        customer_id -> Nullable<Int8>,
        status -> Text,
        status_timeline -> Jsonb,
        route -> Nullable<Text>,
        started_at -> Timestamptz,
        answered_at -> Nullable<Timestamptz>,
        ended_at -> Nullable<Timestamptz>,
        duration_seconds -> Nullable<Int4>,
        transcript -> Jsonb,
        summary -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        recording_path -> Nullable<Text>,
        recording_duration_ms -> Nullable<Int4>,
    }
}

diesel::table! {
    conversations (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        customer_id -> Nullable<Int8>,
        channel -> Text,
        state -> Jsonb,
        handed_off_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        visitor_id -> Nullable<Int8>,
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
    data_exports (tenant_id, id) {
        tenant_id -> Text,
        id -> Text,
        include_recordings -> Bool,
        state -> Text,
        progress -> Float4,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
        expires_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    kb_entries (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        question -> Text,
        answer -> Text,
        category -> Text,
        keywords -> Array<Nullable<Text>>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    messages (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        conversation_id -> Nullable<Int8>,
        customer_id -> Nullable<Int8>,
        direction -> Text,
        from_number -> Text,
        to_number -> Text,
        body -> Text,
        twilio_sid -> Nullable<Text>,
        status -> Text,
        error_code -> Nullable<Text>,
        error_message -> Nullable<Text>,
        purpose -> Text,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
        media_urls -> Array<Nullable<Text>>,
        answered_at -> Nullable<Timestamptz>,
        claimed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    nudge_dismissals (tenant_id, kind, period) {
        tenant_id -> Text,
        kind -> Text,
        period -> Text,
        dismissed_at -> Timestamptz,
    }
}

diesel::table! {
    number_provisioning (tenant_id) {
        tenant_id -> Text,
        area_code -> Text,
        state -> Text,
        phone_number -> Nullable<Text>,
        phone_sid -> Nullable<Text>,
        attempts -> Int4,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamptz,
        lease_until -> Nullable<Timestamptz>,
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
    stripe_events (id) {
        id -> Text,
        event_type -> Text,
        event_created -> Timestamptz,
        outcome -> Text,
        received_at -> Timestamptz,
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
        subscription_status -> Nullable<Text>,
        subscription_created -> Nullable<Timestamptz>,
        price_id -> Nullable<Text>,
        latest_invoice_id -> Nullable<Text>,
        latest_invoice_created -> Nullable<Timestamptz>,
        latest_invoice_status -> Nullable<Text>,
        last_payment_at -> Nullable<Timestamptz>,
        last_payment_cents -> Nullable<Int8>,
        owner_notified_at -> Nullable<Timestamptz>,
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
        suspended_call_behavior -> Text,
    }
}

diesel::table! {
    tenant_domains (domain) {
        domain -> Text,
        tenant_id -> Text,
        verified_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    tenant_owners (tenant_id) {
        tenant_id -> Text,
        owner_name -> Text,
        email -> Text,
        password_hash -> Nullable<Text>,
        city -> Text,
        area_code -> Text,
        created_at -> Timestamptz,
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
        voice_audio -> Text,
        record_calls -> Bool,
    }
}

diesel::table! {
    tenant_versions (tenant_id) {
        tenant_id -> Text,
        version -> Int8,
    }
}

diesel::table! {
    tenant_websites (tenant_id) {
        tenant_id -> Text,
        template -> Text,
        overrides -> Jsonb,
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
        status_changed_at -> Timestamptz,
        purged_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    usage_events (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        kind -> Text,
        quantity -> Int4,
        source_key -> Text,
        occurred_at -> Timestamptz,
    }
}

diesel::table! {
    voicemails (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        call_sid -> Text,
        recording_sid -> Text,
        recording_url -> Text,
        duration_seconds -> Int4,
        from_number -> Text,
        customer_id -> Nullable<Int8>,
        owner_notified_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    web_sessions (id) {
        id -> Int8,
        kind -> Text,
        tenant_id -> Nullable<Text>,
        token_hash -> Text,
        user_agent -> Nullable<Text>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    web_sign_in_links (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        token_hash -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    web_verification_codes (tenant_id, visitor_id) {
        tenant_id -> Text,
        visitor_id -> Int8,
        phone -> Text,
        salt -> Bytea,
        code_hash -> Bytea,
        expires_at -> Timestamptz,
        attempts -> Int4,
        pending_text -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    web_visitors (tenant_id, id) {
        tenant_id -> Text,
        id -> Int8,
        visitor_key -> Text,
        claimed_phone -> Nullable<Text>,
        verified_phone -> Nullable<Text>,
        verified_at -> Nullable<Timestamptz>,
        customer_id -> Nullable<Int8>,
        created_at -> Timestamptz,
        last_seen_at -> Timestamptz,
    }
}

diesel::table! {
    website_images (tenant_id, sha256) {
        tenant_id -> Text,
        sha256 -> Text,
        content_type -> Text,
        bytes -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(api_keys -> tenants (tenant_id));
diesel::joinable!(appointments -> tenants (tenant_id));
diesel::joinable!(calls -> tenants (tenant_id));
diesel::joinable!(conversations -> tenants (tenant_id));
diesel::joinable!(customers -> tenants (tenant_id));
diesel::joinable!(data_exports -> tenants (tenant_id));
diesel::joinable!(kb_entries -> tenants (tenant_id));
diesel::joinable!(messages -> tenants (tenant_id));
diesel::joinable!(nudge_dismissals -> tenants (tenant_id));
diesel::joinable!(number_provisioning -> tenants (tenant_id));
diesel::joinable!(services -> tenants (tenant_id));
diesel::joinable!(sms_templates -> tenants (tenant_id));
diesel::joinable!(tenant_billing -> tenants (tenant_id));
diesel::joinable!(tenant_config -> tenants (tenant_id));
diesel::joinable!(tenant_domains -> tenants (tenant_id));
diesel::joinable!(tenant_owners -> tenants (tenant_id));
diesel::joinable!(tenant_phone_config -> tenants (tenant_id));
diesel::joinable!(tenant_versions -> tenants (tenant_id));
diesel::joinable!(tenant_websites -> tenants (tenant_id));
diesel::joinable!(usage_events -> tenants (tenant_id));
diesel::joinable!(voicemails -> tenants (tenant_id));
diesel::joinable!(web_sessions -> tenants (tenant_id));
diesel::joinable!(web_sign_in_links -> tenants (tenant_id));
diesel::joinable!(web_verification_codes -> tenants (tenant_id));
diesel::joinable!(web_visitors -> tenants (tenant_id));
diesel::joinable!(website_images -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    appointments,
    audit_log,
    calls,
    conversations,
    customers,
    data_exports,
    kb_entries,
    messages,
    nudge_dismissals,
    number_provisioning,
    services,
    sms_templates,
    stripe_events,
    tenant_billing,
    tenant_config,
    tenant_domains,
    tenant_owners,
    tenant_phone_config,
    tenant_versions,
    tenant_websites,
    tenants,
    usage_events,
    voicemails,
    web_sessions,
    web_sign_in_links,
    web_verification_codes,
    web_visitors,
    website_images,
);
