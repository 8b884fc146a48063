DROP FUNCTION IF EXISTS servicepro_check_connection();
