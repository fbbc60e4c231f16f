-- Per-session data keys, wrapped by a sealing key (ADR 0012). Not a read model and not the event store:
-- forgetting a session deletes its rows (crypto-shredding) while its events stay; a rebuild never resets
-- this table. sealing_key_id is indexed for the startup check and for key rotation.
create table if not exists keytrail_data_key (
  data_key_id varchar(64) not null primary key,
  aggregate_id varchar(1024) not null,
  sealing_key_id varchar(64) not null,
  wrapped_key varchar(512) not null,
  created_at timestamp with time zone not null
);
create index if not exists keytrail_data_key_aggregate on keytrail_data_key (aggregate_id);
create index if not exists keytrail_data_key_sealing on keytrail_data_key (sealing_key_id);

-- The session read model's "forgotten" flag (null on rows written before: not forgotten).
alter table kt_session add column if not exists forgotten boolean;
