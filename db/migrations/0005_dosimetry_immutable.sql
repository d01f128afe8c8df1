-- Signed clinical records are immutable (dosimetry sign-off here; response assessments and
-- board decisions use the same function, migrations 0007 and 0009): the service refuses every
-- change first, with a clear error, and the database refuses UPDATE, DELETE and TRUNCATE of a
-- signed row for every role, whatever the client. Signing itself is the UPDATE of a DRAFT row
-- (OLD.status = 'DRAFT') and stays allowed; amendments are new rows linked to the signed one.
CREATE OR REPLACE FUNCTION refuse_change_of_signed_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'SIGNED' THEN
    RAISE EXCEPTION '% % is signed and immutable: % refused', TG_TABLE_NAME, OLD.id, TG_OP USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refuse_truncate_of_signed_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% holds signed records: TRUNCATE refused', TG_TABLE_NAME USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER dosimetry_record_signed_immutable
  BEFORE UPDATE OR DELETE ON dosimetry_record
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_signed_row();
--> statement-breakpoint
CREATE TRIGGER dosimetry_record_no_truncate
  BEFORE TRUNCATE ON dosimetry_record
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_signed_rows();
