-- Issue 12 (key sharing that keeps who sent it), ADR 0018: two nullable columns on the session read
-- model for an imported session's claimed owner. In this branch Hibernate (ddl-auto: update) adds them;
-- these are the statements a Flyway migration needs. Existing rows stay NULL (no claim), which is right:
-- nothing imported before this change carried a claim. No index: the columns are only read per row.

-- H2
alter table kt_session add column if not exists claimed_sender character varying(255);
alter table kt_session add column if not exists claimed_sender_data_json character varying(65535);

-- PostgreSQL
alter table kt_session add column if not exists claimed_sender varchar(255);
alter table kt_session add column if not exists claimed_sender_data_json varchar(65535);
