-- Tumour boards: a frozen one-pager snapshot is what the board saw and is never changed or
-- removed; a signed board decision is never changed or removed (it is amended by a new linked
-- row). The service refuses both; the database refuses them too, whatever the client (signed
-- rows: the shared functions of migration 0005).
CREATE OR REPLACE FUNCTION board_case_snapshot_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'board_case_snapshot is immutable: % refused', TG_OP USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER board_case_snapshot_no_update_delete
  BEFORE UPDATE OR DELETE ON board_case_snapshot
  FOR EACH ROW EXECUTE FUNCTION board_case_snapshot_refuse_change();
--> statement-breakpoint
CREATE TRIGGER board_case_snapshot_no_truncate
  BEFORE TRUNCATE ON board_case_snapshot
  FOR EACH STATEMENT EXECUTE FUNCTION board_case_snapshot_refuse_change();
--> statement-breakpoint
CREATE TRIGGER board_decision_signed_immutable
  BEFORE UPDATE OR DELETE ON board_decision
  FOR EACH ROW EXECUTE FUNCTION refuse_change_of_signed_row();
--> statement-breakpoint
CREATE TRIGGER board_decision_no_truncate
  BEFORE TRUNCATE ON board_decision
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_signed_rows();
