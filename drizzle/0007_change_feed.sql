-- Every committed change to a row that API processes cache (a customer's contracts, an API key's
-- revocation) is announced on one channel, whoever wrote it, so each process drops its copy within
-- milliseconds (src/db/change-feed.ts). NOTIFY is delivered at commit, never for a rolled-back change.
CREATE OR REPLACE FUNCTION supportflow_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('supportflow_changes', TG_TABLE_NAME || ':' || OLD.id);
  ELSE
    PERFORM pg_notify('supportflow_changes', TG_TABLE_NAME || ':' || NEW.id);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER customers_notify_change AFTER INSERT OR UPDATE OR DELETE ON customers
  FOR EACH ROW EXECUTE FUNCTION supportflow_notify_change();--> statement-breakpoint
CREATE TRIGGER api_keys_notify_change AFTER INSERT OR UPDATE OR DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION supportflow_notify_change();
