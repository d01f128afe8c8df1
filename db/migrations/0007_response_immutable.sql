-- A signed response assessment is immutable (function from migration 0005): the database
-- refuses UPDATE, DELETE and TRUNCATE of signed rows whatever the client (the service refuses
-- first with a clear error). Signing itself is the UPDATE of a DRAFT row; amendments are new rows.
CREATE TRIGGER response_assessment_signed_immutable
  BEFORE UPDATE OR DELETE ON response_assessment
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_signed_row();
--> statement-breakpoint
CREATE TRIGGER response_assessment_no_truncate
  BEFORE TRUNCATE ON response_assessment
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_signed_rows();
