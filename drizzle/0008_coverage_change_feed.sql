-- A customer's coverage (its subscriptions' entitlement periods and the subscriptions themselves) is
-- read on every ticket opening and changes only when a subscription workflow writes its read model, in
-- the worker. Announced as `coverage:<customer_id>` on the channel of 0007, so API processes keep each
-- customer's coverage in memory and drop it at the commit of any change to it.
CREATE OR REPLACE FUNCTION supportflow_notify_coverage() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('supportflow_changes', 'coverage:' || OLD.customer_id);
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.customer_id IS DISTINCT FROM OLD.customer_id) THEN
    PERFORM pg_notify('supportflow_changes', 'coverage:' || NEW.customer_id);
  END IF;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER entitlements_notify_coverage AFTER INSERT OR UPDATE OR DELETE ON entitlements
  FOR EACH ROW EXECUTE FUNCTION supportflow_notify_coverage();--> statement-breakpoint
CREATE TRIGGER subscriptions_notify_coverage AFTER INSERT OR UPDATE OR DELETE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION supportflow_notify_coverage();
