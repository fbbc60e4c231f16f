-- An imported session's claimed owner (ADR 0018), shown as a claim beside the sender data, never as it.
-- Rows written before stay null: nothing imported before carried a claim.
alter table kt_session add column if not exists claimed_sender character varying(255);
alter table kt_session add column if not exists claimed_sender_data_json character varying(65535);
