-- A SIGNED dosimetry record is immutable: the service refuses every change, and the database
-- refuses UPDATE and DELETE of a signed row for every role, whatever the client. Amendments are
-- new rows (revision + 1, previous_id → the signed row). Signing itself is the UPDATE of a DRAFT
-- row (OLD.status = 'DRAFT') and is allowed.
CREATE OR REPLACE FUNCTION dosimetry_record_refuse_signed_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'SIGNED' THEN
    RAISE EXCEPTION 'dosimetry_record % is signed and immutable: % refused', OLD.id, TG_OP USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER dosimetry_record_signed_immutable
  BEFORE UPDATE OR DELETE ON dosimetry_record
  FOR EACH ROW EXECUTE FUNCTION dosimetry_record_refuse_signed_change();
