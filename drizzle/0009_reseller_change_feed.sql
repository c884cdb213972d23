-- A reseller's contacts may open its customers' tickets, so every such opening reads the reseller:
-- announced as 0007 announces customers, so API processes keep resellers in memory too.
CREATE TRIGGER resellers_notify_change AFTER INSERT OR UPDATE OR DELETE ON resellers
  FOR EACH ROW EXECUTE FUNCTION supportflow_notify_change();
