-- A signed response assessment is immutable: the database refuses UPDATE and DELETE of a row
-- whose stored status is SIGNED, whatever the client (the service refuses first with a clear
-- error). Signing itself is the UPDATE of a DRAFT row and stays allowed. Amendments are new rows.
CREATE OR REPLACE FUNCTION response_assessment_refuse_signed_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'SIGNED' THEN
    RAISE EXCEPTION 'response_assessment % is signed and immutable: % refused', OLD.id, TG_OP USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER response_assessment_signed_immutable
  BEFORE UPDATE OR DELETE ON response_assessment
  FOR EACH ROW EXECUTE FUNCTION response_assessment_refuse_signed_change();
